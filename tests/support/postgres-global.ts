import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTemplate, dropDatabase, dropLeftovers, ensurePostgres } from "./postgres";

// The integration project's global setup: PostgreSQL answers (started or installed when it
// can be), one migrated template database for the run, dropped at its end; and the folder of
// the run's seeded SQLite templates (tests/support/seeded.ts), removed at its end.
export default async function setup(project: TestProject) {
  await ensurePostgres();
  await dropLeftovers();
  const template = await createTemplate();
  project.provide("postgresTemplate", template);
  const sqliteTemplates = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-templates-"));
  project.provide("sqliteTemplates", sqliteTemplates);
  return async () => {
    await dropDatabase(template);
    fs.rmSync(sqliteTemplates, { recursive: true, force: true });
  };
}
