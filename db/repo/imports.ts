import "server-only";
import { getEngine } from "../client";
import { commitImport as writeImport, planImport as checkImport, type ImportOptions, type ImportReport } from "../import";
import type { ParsedFile } from "../../lib/import/parse";

// The import of a parsed spreadsheet (lib/import): what it would do, and doing it, all or
// nothing (the one writer's batch).

export type { ImportOptions, ImportReport };

/** What importing the file would do: each row accepted or refused with its reasons; writes nothing. */
export async function planImport(parsed: ParsedFile, options: ImportOptions): Promise<ImportReport> {
  return checkImport(getEngine(), parsed, options);
}

/** Imports the file's accepted rows in one transaction (or nothing when a row is refused without skipInvalid). */
export async function commitImport(parsed: ParsedFile, options: ImportOptions, userId: string | null): Promise<ImportReport> {
  return writeImport(getEngine(), parsed, options, userId);
}
