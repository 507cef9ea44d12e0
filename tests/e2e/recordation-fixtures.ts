import Database from "better-sqlite3";
import { inject } from "vitest";

// Recordations the browser and matrix tests need before they start: one of the demo member's
// company and one of another company (with an image), written into the e2e server's database
// (a connection of its own; the server reads them like any other). Idempotent by number.

// a 1×1 PNG
export const PNG_1x1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

export type RecordationFixtures = { memberHolder: number; otherHolder: number; own: number; other: number; otherNumber: string };

export function ensureRecordationFixtures(): RecordationFixtures {
  const db = new Database(inject("databaseFile"), { fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  try {
    const memberHolder = (db.prepare("select holder_id as id from user where email = 'member@demo.test'").get() as { id: number }).id;
    const otherHolder = (db.prepare("select min(id) as id from right_holders where id <> ?").get(memberHolder) as { id: number }).id;
    const write = db.transaction(() => {
      const put = (number: string, holderId: number, title: string) => {
        const found = db.prepare("select id from recordations where number = ?").get(number) as { id: number } | undefined;
        if (found) return found.id;
        const now = Date.now();
        return Number(
          db
            .prepare(`insert into recordations (number, holder_id, kind, right_no, title_en, classes, valid_from, valid_to, status, created_at, updated_at, version)
                      values (?, ?, 'trademark', '7654321', ?, '25', '2020-01-01', '2029-12-31', 'approved', ?, ?, 1)`)
            .run(number, holderId, title, now, now).lastInsertRowid,
        );
      };
      const own = put("T2020-90001", memberHolder, "OWN FIXTURE");
      const other = put("T2020-90002", otherHolder, "OTHER FIXTURE");
      db.prepare("insert or ignore into recordation_images (recordation_id, content_type, data_base64, bytes, updated_at) values (?, 'image/png', ?, ?, ?)").run(
        other, PNG_1x1.toString("base64"), PNG_1x1.length, Date.now(),
      );
      return { own, other };
    });
    const { own, other } = write();
    return { memberHolder, otherHolder, own, other, otherNumber: "T2020-90002" };
  } finally {
    db.close();
  }
}
