import type Database from "better-sqlite3";
import { toIndexText } from "../lib/search";

// Keeps cases_fts in step with cases: every write path that changes a case number, its goods
// or its right holders calls these inside its own transaction.

export type SearchDocument = { caseId: number; caseNo: string; goods: string; holderNames: string[] };

export function searchIndexWriter(sqlite: Database.Database) {
  const insert = sqlite.prepare("insert into cases_fts (rowid, case_no, goods, holders) values (?, ?, ?, ?)");
  const remove = sqlite.prepare("delete from cases_fts where rowid = ?");
  return {
    put(doc: SearchDocument): void {
      remove.run(doc.caseId);
      insert.run(doc.caseId, toIndexText(doc.caseNo), toIndexText(doc.goods), toIndexText(doc.holderNames.join(" ; ")));
    },
    /** For bulk loads into an empty index: no delete first. */
    add(doc: SearchDocument): void {
      insert.run(doc.caseId, toIndexText(doc.caseNo), toIndexText(doc.goods), toIndexText(doc.holderNames.join(" ; ")));
    },
    remove(caseId: number): void {
      remove.run(caseId);
    },
  };
}
