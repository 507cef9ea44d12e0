// npm run load: readers and writers at once against a production build on loopback.
// 50 concurrent readers (dashboard, case table, JSON API) for LOAD_SECONDS (60) while two
// admins create cases through the real server action; then: requests/s and p50/p95/p99
// per route, errors, acknowledged writes against the rows present, and the derived figures
// (aggregate stores, search indexes) against the base tables. Uses the database named by DATABASE_URL, or data/bench-1000000.db (npm run
// bench seeds it) when it is unset.
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import autocannon from "autocannon";
import { ensureDemoAccounts } from "../../db/auth";
import { sqliteEngine } from "../../db/engine";
import { migrateDb, openDb } from "../../db/sqlite/open";
import { sqliteEngine } from "../../db/engine";
import { derivedMismatches } from "../../db/aggregate/check";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { startAppServer, stopAppServer } from "../support/server";

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<FormData | string>;
};

const ROOT = process.cwd();
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const READERS = Number(process.env.LOAD_READERS ?? 50);
const WRITERS = 2;
// the database named by DATABASE_URL, or the one npm run bench seeds when it is unset
const url = process.env.DATABASE_URL?.trim() || "file:data/bench-1000000.db";

async function main() {
  const db = openDb(url);
  migrateDb(db);
  const cases = (db.$client.prepare("select count(*) as n from cases").get() as { n: number }).n;
  if (cases === 0) throw new Error(`${url} holds no cases: run npm run bench once (it seeds 1,000,000), or set DATABASE_URL.`);
  await ensureDemoAccounts(sqliteEngine(db));
  const office = (db.$client.prepare("select id from customs_offices where code = '0100'").get() as { id: number }).id;
  const holder = (db.$client.prepare("select min(id) as id from right_holders").get() as { id: number }).id;
  db.$client.close();

  buildIfNeeded(ROOT, (line) => console.log(line));
  // the production server npm start runs (scripts/serve.mjs: one process per core)
  const { baseURL: base, server } = await startAppServer(url.replace(/^file:/, ""), { quiet: true });
  try {
    const signIn = async (email: string) => {
      const r = await fetch(`${base}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify({ email, password: "demo-password" }),
      });
      if (r.status !== 200) throw new Error(`sign-in as ${email}: ${r.status}`);
      return r.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
    };
    const analyst = await signIn("analyst@demo.test");
    const admin = await signIn("admin@demo.test");
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName: string }>;
    };
    const createId = Object.entries(manifest.node).find(([, v]) => v.exportedName === "createCaseAction")![0];

    // readers: one autocannon per route, the connections shared out
    const routes: [string, string][] = [
      ["dashboard /?district=5300", "/?district=5300"],
      ["dashboard / (2020)", "/?from=2020-01-01&to=2020-12-31"],
      ["table /cases?type=copyright", "/cases?type=copyright"],
      ["API /api/cases?district=8600", "/api/cases?district=8600&from=2016-01-01&to=2017-06-07"],
      ["API /api/stats?campaign=qingfeng", "/api/stats?campaign=qingfeng"],
    ];
    const perRoute = Math.max(1, Math.floor(READERS / routes.length));
    const readers = routes.map(([name, p]) =>
      autocannon({ url: `${base}${p}`, connections: perRoute, duration: SECONDS, headers: { cookie: analyst } }).then((r) => ({ name, r })),
    );

    // writers: admins creating cases through the server action, each acknowledged number kept
    const acknowledged: string[] = [];
    const writeLatencies: number[] = [];
    let writeErrors = 0;
    const stamp = Date.now() % 10000;
    const stopAt = Date.now() + SECONDS * 1000;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const caseNo = `0100-2026-${String(stamp).padStart(4, "0")}`.slice(0, 10) + `-${w}${String(n).padStart(3, "0")}`;
        const form = new FormData();
        const fields: Record<string, string> = {
          caseNo: `0100-${String(2026)}-${String(w * 5000 + n).padStart(4, "0")}`, officeId: String(office), seizedOn: "2025-06-01",
          infringementType: "trademark", goodsCategory: "toys", goodsDescription: `Load test ${caseNo}`, pieces: "5", valueYuan: "12.34",
          direction: "export", channel: "postal", transport: "post", protectionMode: "ex_officio", status: "detained",
        };
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append("rightHolderIds[]", String(holder));
        const t0 = performance.now();
        const r = await fetch(`${base}/cases/new`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie: admin, "next-action": createId, accept: "text/x-component", origin: base },
          body: (await encodeReply([null, form])) as BodyInit,
        });
        const body = await r.text();
        writeLatencies.push(performance.now() - t0);
        if (r.status < 400 && !/"ok":false/.test(body)) acknowledged.push(fields.caseNo!);
        else writeErrors++;
      }
    });

    const [results] = await Promise.all([Promise.all(readers), Promise.all(writers)]);
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
    const processes = process.env.WEB_CONCURRENCY ?? String(Math.min(os.availableParallelism(), 4));
    console.log(`\n${READERS} readers and ${WRITERS} writers for ${SECONDS} s against ${url} (${cases.toLocaleString("en-US")} cases), ${processes} server processes on ${os.availableParallelism()} cores\n`);
    console.log("route".padEnd(38), "req/s".padStart(8), "p50 ms".padStart(8), "p95 ms".padStart(8), "p99 ms".padStart(8), "errors".padStart(8));
    for (const { name, r } of results) {
      const errors = r.errors + r.timeouts + r.non2xx;
      console.log(name.padEnd(38), r.requests.average.toFixed(1).padStart(8), String(r.latency.p50).padStart(8), String(r.latency.p97_5 ?? r.latency.p99).padStart(8), String(r.latency.p99).padStart(8), String(errors).padStart(8));
    }
    console.log(
      "writes: createCaseAction".padEnd(38),
      (writeLatencies.length / SECONDS).toFixed(1).padStart(8),
      pct(writeLatencies, 50).toFixed(0).padStart(8),
      pct(writeLatencies, 95).toFixed(0).padStart(8),
      pct(writeLatencies, 99).toFixed(0).padStart(8),
      String(writeErrors).padStart(8),
    );
    console.log("(p95 column: autocannon reports p97.5)");

    const after = openDb(url);
    const present = acknowledged.length
      ? (after.$client.prepare(`select count(*) as n from cases where case_no in (${acknowledged.map(() => "?").join(",")})`).get(...acknowledged) as { n: number }).n
      : 0;
    console.log(`\nwrites acknowledged: ${acknowledged.length}, present afterwards: ${present}${present === acknowledged.length ? " (none lost)" : " — LOST WRITES"}`);
    const mismatches = await derivedMismatches(after.$client, { text: false }); // search indexes by case id: term by term takes minutes at a million cases
    console.log(`derived figures against the base tables: ${mismatches.length === 0 ? "equal in every figure" : `${mismatches.length} differ`}`);
    // the load test's cases leave again, so the bench database stays as seeded
    const remove = after.$client.prepare("select id from cases where case_no = ?");
    const { softDeleteCase } = await import("../../db/mutations/cases");
    for (const no of acknowledged) {
      const row = remove.get(no) as { id: number } | undefined;
      if (row) await softDeleteCase(sqliteEngine(after), row.id, null);
    }
    after.$client.prepare("delete from cases where case_no like '0100-2026-%' and deleted_at is not null").run();
    after.$client.close();
    const failed = results.some(({ r }) => r.errors + r.timeouts + r.non2xx > 0) || writeErrors > 0 || present !== acknowledged.length || mismatches.length > 0;
    process.exitCode = failed ? 1 : 0;
  } finally {
    await stopAppServer(server);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
