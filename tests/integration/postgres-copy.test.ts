import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { COPY_TABLES } from "../../db/copy-plan";
import * as schema from "../../db/sqlite/schema";
import { getCaseForEdit, softDeleteCase, updateCase } from "../../db/mutations/cases";
import { toTsQuery } from "../../db/postgres/search-index";
import { toMatchExpression } from "../../lib/search";
import { seedDatabase } from "../../seed/run";
import { freshDb, ROOT, TSX, tempDir } from "../support/db";
import { freshPostgres } from "../support/postgres";
import { sqliteEngine } from "../../db/engine";

// `npm run db:copy`: a seeded SQLite deployment (with accounts, sessions, audit entries, rate
// limits, a soft-deleted case, text that COPY must escape) copied into PostgreSQL and back
// into a new SQLite file holds every row of every table exactly; the search on PostgreSQL
// finds the cases FTS5 finds; a target that holds data is refused with one sentence.

const dir = tempDir("pg-copy");
let source: ReturnType<typeof freshDb>;
let postgres: Awaited<ReturnType<typeof freshPostgres>>;
const back = path.join(dir, "back.db");
const TRICKY = "Bags\twith a tab, a back\\slash, \\N, 'quotes', a new\nline, 中文「商标」 and Hermès";

beforeAll(async () => {
  source = freshDb("pg-copy-source");
  const s = source.db.$client;
  await seedDatabase(s, { cases: 3_000, seed: 7 });
  const e = sqliteEngine(source.db);
  const { version, updatedBy: _by, updatedAt: _at, ...edit } = (await getCaseForEdit(e, 5))!;
  await updateCase(e, 5, version, { ...edit, goodsDescription: TRICKY, notes: `${TRICKY}\r\n` }, null);
  await softDeleteCase(e, 9, null);
  const now = 1_764_500_000_123;
  const user = "u-analyst";
  s.prepare("insert into user (id, name, email, email_verified, created_at, updated_at, role) values (?, 'Li Wei 李伟', 'li@demo.test', 1, ?, ?, 'analyst')").run(user, now, now);
  s.prepare("insert into user (id, name, email, email_verified, created_at, updated_at, role, holder_id) values ('u-member', 'M', 'm@demo.test', 0, ?, ?, 'member', 3)").run(now, now);
  s.prepare("insert into account (id, account_id, provider_id, user_id, password, created_at, updated_at) values ('a1', ?, 'credential', ?, 'scrypt$salt$hash', ?, ?)").run(user, user, now, now);
  s.prepare("insert into session (id, expires_at, token, created_at, updated_at, ip_address, user_agent, user_id) values ('s1', ?, 'tok', ?, ?, '203.0.113.9', 'Mozilla\t5', ?)").run(now + 86_400_000, now, now, user);
  s.prepare("insert into verification (id, identifier, value, expires_at, created_at, updated_at) values ('v1', 'reset', 'x', ?, null, ?)").run(now, now);
  s.prepare("insert into rate_limit (id, key, count, last_request) values ('r1', '203.0.113.9/sign-in', 3, ?)").run(now);
  s.prepare("insert into sign_in_failures (key, failures, first_at, last_at) values ('a@b.test', 2, ?, ?)").run(now - 1000, now);
  s.prepare("insert into recordation_images (recordation_id, content_type, data_base64, bytes, updated_at) select min(id), 'image/png', 'iVBORw0KGgo=', 8, ? from recordations").run(now);
  s.prepare("insert into invitations (user_id, invited_by, verification_id, sent_at, expires_at, accepted_at) values ('u-member', ?, 'v1', ?, ?, null)").run(user, now, now + 7 * 86_400_000);
  s.prepare(`insert into outbox (dedupe_key, to_address, locale, subject, text_body, html_body, status, attempts, next_attempt_at, lease_until, lease_owner, last_error, message_id, created_at, sent_at)
    values ('invite:v1', 'm@demo.test', 'zh', '邀请', ?, '<p>x</p>', 'failed', 8, ?, null, null, '550 no', '<m1@ipr>', ?, null)`).run(TRICKY, now, now);
  s.prepare("insert into working_day_overrides (date, kind, note, updated_at, updated_by) values ('2027-01-01', 'holiday', 'New Year', ?, ?)").run(now, user);
  // a notification (its text's values as JSON text) and its e-mail in the outbox
  // a saved view with a quote, a CJK name and a shared member's company (issue 20)
  s.prepare("insert into saved_views (owner_id, name, page, query, shared, role, holder_id, created_at, updated_at) values ('u-member', '我们的 \"view\"', 'dashboard', 'type=trademark&q=a%26b', 1, 'member', 3, ?, ?)").run(now, now);
  // its digest subscription (issue 20, item 3): the unsubscribe token as its hash only
  s.prepare("insert into subscriptions (user_id, view_id, frequency, token_nonce, token_hash, last_period_key, created_at, updated_at) values ('u-member', last_insert_rowid(), 'weekly', 'nonce-1', ?, '2026-W48', ?, ?)").run("a".repeat(64), now, now);
  // a risk profile (open-ended, archived) with a CJK name and a hit (issue 18, item 4)
  s.prepare(`insert into risk_profiles (name, owner_id, query, valid_from, valid_to, reason, archived, version, created_at, created_by, updated_at, updated_by)
    values ('布控 "toys"', ?, 'type=trademark&q=a%26b', '2024-01-01', null, ?, 1, 2, ?, ?, ?, ?)`).run(user, TRICKY, now, user, now, user);
  s.prepare("insert into profile_hits (profile_id, case_id, hit_at, hit_on) select min(id), 5, ?, '2024-10-09' from risk_profiles").run(now);
  s.prepare(`insert into notifications (key, user_id, kind, case_id, holder_id, params, created_at, read_at)
    values ('notice:1:u-member', 'u-member', 'detention_notice', 5, 3, '{"caseNo":"x","lastDay":"2024-10-09"}', ?, null)`).run(now);
  s.prepare(`insert into outbox (dedupe_key, to_address, locale, subject, text_body, html_body, status, attempts, next_attempt_at, message_id, created_at)
    values ('notice:1:u-member', 'm@demo.test', 'zh', '扣留通知', ?, null, 'pending', 0, ?, '<1@localhost>', ?)`).run(`${TRICKY}\r\n`, now, now);
  s.prepare(`insert into outbox (dedupe_key, to_address, locale, subject, text_body, html_body, status, attempts, next_attempt_at, message_id, created_at, headers)
    values ('digest:1:2026-W48', 'm@demo.test', 'zh', '摘要', 'x', '<p>x</p>', 'sent', 1, ?, '<2@localhost>', ?, '{"List-Unsubscribe-Post":"List-Unsubscribe=One-Click"}')`).run(now, now);
  // a personal API token (its hash and prefix only), used and revoked
  s.prepare(`insert into api_tokens (user_id, name, prefix, hash, created_at, expires_at, last_used_at, revoked_at, revoked_by)
    values ('u-member', '导出 script', 'bet_abcdef', ?, ?, ?, ?, ?, ?)`).run("0".repeat(64), now, now + 90 * 86_400_000, now + 5, now + 9, user);
  // a hot-spot run with a flag (p and q as exact number text, the chart's counts as JSON text) and the refresh lease (issue 18)
  const run = s.prepare("insert into hotspot_runs (ran_at, evaluation_month, history_from, series_count, flag_count, took_ms, data_seq) values (?, '2025-12', '2022-12', 81, 1, 44, 241)").run(now).lastInsertRowid;
  s.prepare(`insert into hotspot_flags (run_id, dimension, value, observed, expected_milli, p, q, chart_from, counts)
    values (?, 'category', 'toys', 120, 4213, '1.2345678901234567e-200', '0.000123', '2024-01', '[1,2,3,120]')`).run(run);
  s.prepare("insert into hotspot_lease (name, owner, lease_until) values ('refresh', 'host:1:abcd', ?)").run(now);
  postgres = await freshPostgres();
});
afterAll(async () => {
  source?.close();
  await postgres?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rowsOf(file: string, table: string): unknown[][] {
  const db = new Database(file, { readonly: true });
  try {
    const order = COPY_TABLES.find((t) => t.name === table)!.order;
    return db.prepare(`select * from "${table}" order by ${order}`).raw().all() as unknown[][];
  } finally {
    db.close();
  }
}

describe("db:copy", () => {
  it("copies every table of the schema, and the seeded source holds rows in each", () => {
    const tables = Object.values(schema).filter((v) => is(v, SQLiteTable)).map((t) => getTableName(t as SQLiteTable));
    expect(COPY_TABLES.map((t) => t.name).sort()).toEqual([...tables].sort());
    const empty = COPY_TABLES.filter((t) => (source.db.$client.prepare(`select count(*) as n from "${t.name}"`).get() as { n: number }).n === 0).map((t) => t.name);
    expect(empty).toEqual([]);
  });

  it("copies SQLite into PostgreSQL and back, every table's rows exactly, and checks the figures on both sides", async () => {
    const there = await copyDatabase({ from: `file:${source.file}`, to: postgres.url });
    expect(there.target.totals.cases).toBe(2_999);
    expect(there.target.totals.valueFen).toBeGreaterThan(0);
    expect(there.target).toEqual(there.source);
    expect(Object.keys(there.target.perDistrict).length).toBeGreaterThan(10);

    const home = await copyDatabase({ from: postgres.url, to: `file:${back}` });
    expect(home.target).toEqual(there.source);
    for (const table of COPY_TABLES) {
      const original = rowsOf(source.file, table.name);
      if (["cases", "case_right_holders", "user", "account", "session", "audit_log", "app_meta", "customs_offices"].includes(table.name)) {
        expect(original.length, table.name).toBeGreaterThan(0);
      }
      expect(rowsOf(back, table.name), table.name).toEqual(original);
    }
    const tricky = rowsOf(back, "cases").find((r) => r[0] === 5)!;
    expect(tricky).toContain(TRICKY);
    expect(tricky).toContain(`${TRICKY}\r\n`);
  });

  it("copies the same with the per-row triggers and key checks on (a role that is not a superuser): the paused change log logs nothing", async () => {
    const other = await freshPostgres();
    try {
      const result = await copyDatabase({ from: `file:${source.file}`, to: other.url, rowChecks: true });
      expect(result.target).toEqual(result.source);
      const logged = await other.db.$client.query({ text: "select seq, case_id from case_changes order by seq desc", rowMode: "array" });
      expect(logged.rows).toEqual(rowsOf(source.file, "case_changes"));
      const paused = await other.db.$client.query("select count(*)::int as n from app_meta where key = 'case_changes'");
      expect(paused.rows[0].n).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("the copied search on PostgreSQL finds what FTS5 finds, for staff and for members", async () => {
    const s = source.db.$client;
    const holder = s.prepare("select name, name_zh from right_holders where id = (select right_holder_id from case_right_holders where case_id = 5 limit 1)").get() as { name: string; name_zh: string | null };
    const caseNo = s.prepare("select case_no from cases where id = 17").pluck().get() as string;
    const queries = ["quotes", "中文", "商标", "hermes", "HERMÈS back", "slash", holder.name, holder.name.split(" ")[0]!.slice(0, 3), holder.name_zh ?? "商", caseNo, caseNo.slice(0, 6), "bags", "shoe", "phone case"];
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      for (const q of queries) {
        for (const [fts, column] of [["cases_fts", "doc"], ["cases_redacted_fts", "redacted_doc"]] as const) {
          const expected = s.prepare(`select rowid from ${fts} where ${fts} match ? order by rowid`).pluck().all(toMatchExpression(q)!) as number[];
          const { rows } = await client.query<{ case_id: number }>(`select case_id from cases_search where ${column} @@ $1::tsquery order by case_id`, [toTsQuery(q, column)]);
          expect(rows.map((r) => r.case_id), `${q} in ${fts}`).toEqual(expected);
        }
      }
      // the queries found something: the comparison is not between two empty lists
      const hits = s.prepare("select count(*) from cases_fts where cases_fts match ?").pluck().get(toMatchExpression(holder.name)!) as number;
      expect(hits).toBeGreaterThan(0);
      const hermes = s.prepare("select rowid from cases_fts where cases_fts match ?").pluck().all(toMatchExpression("hermes")!) as number[];
      expect(hermes).toContain(5);
    } finally {
      await client.end();
    }
  });

  it("refuses a target that holds data, with one sentence, and leaves it as it was", () => {
    const before = rowsOf(back, "cases").length;
    const r = spawnSync(TSX, [path.join(ROOT, "scripts/db-copy.ts"), "--from", postgres.url, "--to", `file:${back}`], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Cannot copy: The target .*back\.db is not empty \(its table app_meta holds rows\): db:copy copies only into an empty database\.$/);
    expect(rowsOf(back, "cases").length).toBe(before);
  });
});
