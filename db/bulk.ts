import type Database from "better-sqlite3";
import type { Reference } from "../seed/generate";
import { withChangeLogPaused } from "./sqlite/change-log";

// The demo seed's housekeeping: is the database empty, wipe it, load the reference data
// (offices, right holders, campaigns), mark it as demo data. The seed's cases go through the
// one writer (db/writer.ts) like every other write to cases.

/** Every row of `cases`, live and deleted (not a filtered count: see db/queries/totals.ts). */
export function countCaseRows(sqlite: Database.Database): number {
  return (sqlite.prepare("select count(*) as n from cases").get() as { n: number }).n;
}

export function isEmpty(sqlite: Database.Database): boolean {
  const row = sqlite
    .prepare(`select (select count(*) from cases) + (select count(*) from customs_offices) + (select count(*) from right_holders)
              + (select count(*) from user) as n`)
    .get() as { n: number };
  return row.n === 0;
}

/**
 * Removes every row, children first, and restarts the id sequences; the change log is paused
 * meanwhile (one "everything changed" row instead of one per case and link).
 */
export function deleteAllData(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    withChangeLogPaused(sqlite, () => {
      for (const table of ["cases_fts", "cases_redacted_fts", "audit_log", "case_right_holders", "cases", "session", "account", "user", "sign_in_failures", "campaigns", "right_holders", "customs_offices"]) {
        sqlite.prepare(`delete from ${table}`).run();
      }
      // app_meta keeps what is not data (the session secret); the demo mark goes
      sqlite.prepare("delete from app_meta where key = 'demo_seed'").run();
      sqlite.prepare("delete from sqlite_sequence").run();
    });
  })();
}

export function insertReference(sqlite: Database.Database, reference: Reference): void {
  const codeToId = new Map(reference.offices.map((o, i) => [o.code, i + 1]));
  const office = sqlite.prepare(
    "insert into customs_offices (id, code, name_en, name_zh, province, district_id) values (?, ?, ?, ?, ?, ?)",
  );
  const holder = sqlite.prepare(
    "insert into right_holders (id, name, name_zh, country, industry, foreign_invested, qbpc_member) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const campaign = sqlite.prepare(
    "insert into campaigns (id, code, name_en, name_zh, starts_on, ends_on) values (?, ?, ?, ?, ?, ?)",
  );
  // districts first, so a subordinate's foreign key finds its district
  const ordered = reference.offices.map((o, i) => [o, i + 1] as const).sort((a, b) => Number(a[0].districtCode !== null) - Number(b[0].districtCode !== null));
  for (const [o, id] of ordered) {
    office.run(id, o.code, o.nameEn, o.nameZh, o.province, o.districtCode ? codeToId.get(o.districtCode)! : null);
  }
  reference.holders.forEach((h, i) =>
    holder.run(i + 1, h.name, h.nameZh, h.country, h.industry, h.foreignInvested ? 1 : 0, h.qbpcMember ? 1 : 0),
  );
  reference.campaigns.forEach((c, i) => campaign.run(i + 1, c.code, c.nameEn, c.nameZh, c.startsOn, c.endsOn));
}

export const DEMO_META_KEY = "demo_seed";

export function isDemo(sqlite: Database.Database): boolean {
  return sqlite.prepare("select 1 from app_meta where key = ?").get(DEMO_META_KEY) !== undefined;
}

/** Marks the database as holding generated demo data (and with which arguments). */
export function markDemo(sqlite: Database.Database, info: { cases: number; seed: number }): void {
  sqlite
    .prepare("insert into app_meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value")
    .run(DEMO_META_KEY, JSON.stringify({ ...info, seededAt: new Date().toISOString() }));
}
