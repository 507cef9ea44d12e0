// npm run load: readers and writers at once against a production build on loopback.
// 50 concurrent readers (dashboard, case table, JSON API) for LOAD_SECONDS (60) while two
// admins create cases through the real server action; then: requests/s and p50/p95/p99
// per route, errors, acknowledged writes against the rows present, and the derived figures
// (aggregate stores, search indexes) against the base tables. Uses the database named by
// DATABASE_URL, or data/bench-1000000.db (npm run bench seeds it) when it is unset.
//
// On SQLite one server (scripts/serve.mjs, one process per core) serves the file. On
// PostgreSQL LOAD_SERVERS (2) servers, each a scripts/serve.mjs of its own on its own port
// (as on separate machines: the same BETTER_AUTH_SECRET, one database), share the load: each
// route's readers are split across them, writer w writes through server w mod LOAD_SERVERS,
// and the sessions are made on the first server only (so they must hold on the others). On
// one machine the servers share its cores: each gets WEB_CONCURRENCY ÷ servers processes (at
// least one), so both engines run the same number of server processes on the same cores.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { ensureDemoAccounts } from "../../db/auth";
import { closeEngine, migrateEngine, openEngine } from "../../db/open";
import { derivedMismatches } from "../../db/aggregate/check";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { startAppServer, stopAppServer, type AppServer } from "../support/server";

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
const loadAverage = () => (fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "?");

async function main() {
  await migrateEngine(url);
  const e = openEngine(url);
  const postgres = e.dialect === "postgres";
  const SERVERS = Number(process.env.LOAD_SERVERS ?? (postgres ? 2 : 1));
  if (!Number.isInteger(SERVERS) || SERVERS < 1 || (!postgres && SERVERS !== 1)) {
    throw new Error(`LOAD_SERVERS must be a whole number from 1 (and 1 on SQLite: one machine serves the file), not "${process.env.LOAD_SERVERS}".`);
  }
  const perServer = Math.max(1, Math.floor(Number(process.env.WEB_CONCURRENCY ?? Math.min(os.availableParallelism(), 4)) / SERVERS));
  let office: number, holder: number, recordation: number, cases: number;
  try {
    cases = Number((await e.get<{ n: number }>(sql`select count(*) as n from cases`))!.n);
    if (cases === 0) throw new Error(`${url} holds no cases: run npm run bench once (it seeds 1,000,000), or set DATABASE_URL.`);
    await ensureDemoAccounts(e);
    office = Number((await e.get<{ id: number }>(sql`select id from customs_offices where code = '0100'`))!.id);
    // an ex-officio case rests on a recordation of its holder valid on the seizure date (2025-06-01)
    const rec = await e.get<{ id: number; holder: number }>(
      sql`select id, holder_id as holder from recordations where status = 'approved' and valid_from <= '2025-06-01' and valid_to >= '2025-06-01' order by holder_id, id limit 1`,
    );
    if (!rec) throw new Error(`${url} has no approved recordation valid on 2025-06-01 for the writers' ex-officio cases: seed it with npm run seed.`);
    holder = Number(rec.holder);
    recordation = Number(rec.id);
  } finally {
    await closeEngine(e);
  }

  buildIfNeeded(ROOT, (line) => console.log(line));
  // the production server npm start runs (scripts/serve.mjs: one process per core), once or per "machine"
  const secret = process.env.BETTER_AUTH_SECRET ?? crypto.randomBytes(32).toString("base64");
  const servers: AppServer[] = [];
  try {
    for (let i = 0; i < SERVERS; i++) {
      servers.push(await startAppServer("", { quiet: true, env: { DATABASE_URL: url, WEB_CONCURRENCY: String(perServer), BETTER_AUTH_SECRET: secret } }));
    }
    const bases = servers.map((s) => s.baseURL);
    const base = bases[0]!;
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
    // warm-up, not timed: every route answered once by every server, so that each server's
    // reader processes have loaded their aggregate store (at a million cases a PostgreSQL load
    // takes tens of seconds) before the clock starts; the same on both engines
    const warm0 = performance.now();
    const warmUntil = Date.now() + Number(process.env.LOAD_WARM_SECONDS ?? 600) * 1000;
    for (const b of bases) {
      for (const [, p] of routes) {
        for (;;) {
          const r = await fetch(`${b}${p}`, { headers: { cookie: analyst } }).catch(() => null);
          await r?.arrayBuffer();
          if (r?.status === 200) break;
          if (Date.now() > warmUntil) throw new Error(`warm-up: ${b}${p} still answers ${r?.status ?? "nothing"} after LOAD_WARM_SECONDS (600)`);
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    }
    console.log(`servers warmed (every route answered once by each) in ${((performance.now() - warm0) / 1000).toFixed(1)} s`);
    const perRoute = Math.max(1, Math.floor(READERS / routes.length));
    // each route's connections shared out over the servers
    const readers = routes.flatMap(([name, p]) =>
      bases.map((b, i) => {
        const connections = Math.floor(perRoute / SERVERS) + (i < perRoute % SERVERS ? 1 : 0);
        return connections
          ? autocannon({ url: `${b}${p}`, connections, duration: SECONDS, headers: { cookie: analyst } }).then((r) => ({ name, server: i, r }))
          : null;
      }).filter((x) => x !== null),
    );

    // writers: admins creating cases through the server action, each acknowledged number kept
    const acknowledged: string[] = [];
    const writeLatencies: number[] = [];
    let writeErrors = 0;
    let firstWriteError = "";
    const stamp = Date.now() % 10000;
    const stopAt = Date.now() + SECONDS * 1000;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const target = bases[w % SERVERS]!;
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
        form.append("recordationIds[]", String(recordation));
        const t0 = performance.now();
        const r = await fetch(`${target}/cases/new`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie: admin, "next-action": createId, accept: "text/x-component", origin: target },
          body: (await encodeReply([null, form])) as BodyInit,
        });
        const body = await r.text();
        writeLatencies.push(performance.now() - t0);
        if (r.status < 400 && !/"ok":false/.test(body)) acknowledged.push(fields.caseNo!);
        else if (writeErrors++ === 0) firstWriteError = `${r.status} ${body.slice(0, 500)}`;
      }
    });

    const loadBefore = loadAverage();
    const [perServerResults] = await Promise.all([Promise.all(readers), Promise.all(writers)]);
    const loadAfter = loadAverage();
    // one line per route: its servers' requests added, the latencies of the busiest server's run
    // when there are several (autocannon gives percentiles, not samples, so they cannot be merged)
    const results = routes.map(([name]) => {
      const runs = perServerResults.filter((x) => x.name === name).map((x) => x.r);
      const worst = runs.reduce((a, b) => ((b.latency.p99 ?? 0) > (a.latency.p99 ?? 0) ? b : a));
      return {
        name,
        requests: runs.reduce((s, r) => s + r.requests.average, 0),
        latency: worst.latency,
        errors: runs.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0),
      };
    });
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:…@");
    console.log(
      `\n${READERS} readers and ${WRITERS} writers for ${SECONDS} s against ${shown} (${cases.toLocaleString("en-US")} cases, ${postgres ? "PostgreSQL" : "SQLite"}), ` +
        `${SERVERS} server${SERVERS > 1 ? "s" : ""} × ${perServer} process${perServer > 1 ? "es" : ""} on ${os.availableParallelism()} cores; load average ${loadBefore} before, ${loadAfter} after\n`,
    );
    console.log("route".padEnd(38), "req/s".padStart(8), "p50 ms".padStart(8), "p95 ms".padStart(8), "p99 ms".padStart(8), "errors".padStart(8));
    for (const r of results) {
      console.log(r.name.padEnd(38), r.requests.toFixed(1).padStart(8), String(r.latency.p50).padStart(8), String(r.latency.p97_5 ?? r.latency.p99).padStart(8), String(r.latency.p99).padStart(8), String(r.errors).padStart(8));
    }
    console.log("readers, all routes".padEnd(38), results.reduce((s, r) => s + r.requests, 0).toFixed(1).padStart(8));
    console.log(
      "writes: createCaseAction".padEnd(38),
      (writeLatencies.length / SECONDS).toFixed(1).padStart(8),
      pct(writeLatencies, 50).toFixed(0).padStart(8),
      pct(writeLatencies, 95).toFixed(0).padStart(8),
      pct(writeLatencies, 99).toFixed(0).padStart(8),
      String(writeErrors).padStart(8),
    );
    console.log(`(p95 column: autocannon reports p97.5${SERVERS > 1 ? "; readers' latencies: the server with the higher p99 of each route" : ""})`);

    const after = openEngine(url);
    let present = 0;
    let mismatches: unknown[] = [];
    try {
      present = acknowledged.length
        ? Number((await after.get<{ n: number }>(sql`select count(*) as n from cases where ${after.say.inList(sql`case_no`, acknowledged)}`))!.n)
        : 0;
      console.log(`\nwrites acknowledged: ${acknowledged.length}, present afterwards: ${present}${present === acknowledged.length ? " (none lost)" : " — LOST WRITES"}`);
      mismatches = await derivedMismatches(after, { text: false }); // search indexes by case id: term by term takes minutes at a million cases
      console.log(`derived figures against the base tables: ${mismatches.length === 0 ? "equal in every figure" : `${mismatches.length} differ`}`);
      // the load test's cases leave again, so the bench database stays as seeded
      const { softDeleteCase } = await import("../../db/mutations/cases");
      const ids = acknowledged.length ? await after.all<{ id: number }>(sql`select id from cases where ${after.say.inList(sql`case_no`, acknowledged)}`) : [];
      for (const { id } of ids) await softDeleteCase(after, Number(id), null);
      await after.transaction((tx) => tx.run(sql`delete from cases where case_no like '0100-2026-%' and deleted_at is not null`));
    } finally {
      await closeEngine(after);
    }
    const failed = results.some((r) => r.errors > 0) || writeErrors > 0 || present !== acknowledged.length || mismatches.length > 0;
    if (firstWriteError) console.log(`\nthe first refused write: ${firstWriteError}`);
    if (failed) {
      // what the servers said (their standard error), to tell refusals from crashes
      for (const [i, s] of servers.entries()) console.log(`\nserver ${i + 1}'s log (last 3,000 characters):\n${s.log().slice(-3000)}`);
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const s of servers) await stopAppServer(s.server);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
