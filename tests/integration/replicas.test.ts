import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPoolOf, type Engine } from "../../db/engine";
import { closeEngine, openEngine } from "../../db/open";
import { migratePostgres } from "../../db/postgres/open";
import { closeReplicated, replicatedEngine } from "../../db/postgres/replicas";
import { asReader, NoDatabaseAnswersError, PrimaryUnavailableError } from "../../db/replicas";
import { guarded } from "../../app/api/respond";
import { classifyDbError, DB_FAULT_MESSAGES, DB_FAULT_RETRY_AFTER } from "../../lib/db-errors";
import { checkEnv, ConfigError, databaseReadUrls } from "../../lib/env";
import { startReplicaPair, type ReplicaPair } from "../support/replica";

// Read replicas (issue 15, item 4) on a real streaming replica of the test's own
// (tests/support/replica.ts): reads go to the replica, writes to the primary, a writer reads
// their write at once, a replica that does not answer is passed over, and when the primary
// stops, writes fail with the "unavailable" fault (a 503) while reads keep coming from the
// replica. Where a read was answered is what the server itself says: its port
// (inet_server_port()) and whether it is a standby (pg_is_in_recovery()).

type Where = { port: number; standby: boolean };
const WHERE = sql`select inet_server_port() as port, pg_is_in_recovery() as standby`;

let pair: ReplicaPair;
let e: Engine;

beforeAll(async () => {
  pair = await startReplicaPair();
  await migratePostgres(pair.primaryUrl);
  await pair.caughtUp();
  e = openEngine(pair.primaryUrl, { readUrls: [pair.replicaUrl] });
});

afterAll(async () => {
  if (e) await closeEngine(e);
  if (!pair) return;
  await pair.close();
  // no leftovers: the folder is gone, and nothing listens on the servers' ports any more
  expect(fs.existsSync(pair.folder)).toBe(false);
  for (const port of [pair.primaryPort, pair.replicaPort]) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(false))).once("error", () => resolve(true));
    });
    expect(refused, `port ${port}`).toBe(true);
  }
});

const where = async (engine = e) => (await engine.get<Where>(WHERE))!;
const remember = (key: string, value: string) =>
  e.transaction(async (tx) => {
    await tx.run(sql`insert into app_meta (key, value) values (${key}, ${value}) on conflict (key) do update set value = excluded.value`);
    return (await tx.get<Where>(WHERE))!;
  });
const recall = async (key: string) => {
  const { appMeta } = e.t;
  const rows = await e.db
    .select({ value: appMeta.value, port: sql<number>`inet_server_port()`, standby: sql<boolean>`pg_is_in_recovery()` })
    .from(appMeta)
    .where(eq(appMeta.key, key));
  return rows[0];
};

describe("read replicas on PostgreSQL", () => {
  it("sends raw reads and builder selects to the replica, and writes to the primary", async () => {
    expect(await where()).toEqual({ port: pair.replicaPort, standby: true });
    expect(await e.all<Where>(WHERE)).toEqual([{ port: pair.replicaPort, standby: true }]);

    const written = await asReader("officer-a", () => remember("replica-test", "one"));
    expect(written).toEqual({ port: pair.primaryPort, standby: false });
    await pair.caughtUp();
    // another reader: the replica answers, and it has the write (streamed)
    const seen = await asReader("officer-b", () => recall("replica-test"));
    expect(seen).toEqual({ value: "one", port: pair.replicaPort, standby: true });
    // the tools that take the engine's pool (COPY of the seed, backups) get the primary's
    expect((await postgresPoolOf(e)!.query("select inet_server_port() as port")).rows).toEqual([{ port: pair.primaryPort }]);
  });

  it("serves a writer's own reads from the primary: in the request that wrote, and in their next request", async () => {
    const inRequest = await asReader("officer-c", async () => {
      await remember("own-write", "c1");
      return recall("own-write");
    });
    expect(inRequest).toEqual({ value: "c1", port: pair.primaryPort, standby: false });
    // the writer's next request (a new context): still the primary, and it reads the write
    expect(await asReader("officer-c", () => recall("own-write"))).toEqual({ value: "c1", port: pair.primaryPort, standby: false });
    expect(await asReader("officer-c", () => where())).toEqual({ port: pair.primaryPort, standby: false });
    // everyone else reads from the replica meanwhile
    expect(await asReader("officer-d", () => where())).toEqual({ port: pair.replicaPort, standby: true });
    expect(await asReader(null, () => where())).toEqual({ port: pair.replicaPort, standby: true });
  });

  it("serves the requests scripts/serve.mjs marks as writes (an action's redirect page) from the primary", async () => {
    const marker = new AsyncLocalStorage<boolean>();
    const global = globalThis as { iprWriteFirst?: AsyncLocalStorage<boolean> };
    const before = global.iprWriteFirst;
    global.iprWriteFirst = marker;
    try {
      expect(await marker.run(true, () => where())).toEqual({ port: pair.primaryPort, standby: false });
      expect(await where()).toEqual({ port: pair.replicaPort, standby: true });
    } finally {
      global.iprWriteFirst = before;
    }
  });

  it("outside any reader context, a process's reads after its own write go to the primary", async () => {
    const own = replicatedEngine(pair.primaryUrl, [pair.replicaUrl]);
    try {
      expect(await where(own)).toEqual({ port: pair.replicaPort, standby: true });
      await own.transaction((tx) => tx.run(sql`insert into app_meta (key, value) values ('script', 'x') on conflict (key) do nothing`));
      expect(await where(own)).toEqual({ port: pair.primaryPort, standby: false });
    } finally {
      await closeReplicated(own);
    }
  });

  it("sends a statement that writes, made through a read, to the primary", async () => {
    const row = await asReader("officer-e", () =>
      e.get<{ port: number }>(sql`with w as (insert into app_meta (key, value) values ('cte', 'y') on conflict (key) do update set value = excluded.value returning key) select inet_server_port() as port from w`),
    );
    expect(row).toEqual({ port: pair.primaryPort });
  });

  it("passes over a replica that does not answer: the primary answers the reads", async () => {
    // a replica URL on a port where nothing listens: one the system gave us, then took back
    const dead = new URL(pair.replicaUrl);
    dead.port = String(
      await new Promise<number>((resolve, reject) => {
        const probe = net.createServer().once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      }),
    );
    const withDeadReplica = replicatedEngine(pair.primaryUrl, [dead.toString(), pair.replicaUrl]);
    const onlyDead = replicatedEngine(pair.primaryUrl, [dead.toString()]);
    try {
      // the dead one is tried first, left aside, then the live replica answers
      expect(await asReader("r1", () => where(withDeadReplica))).toEqual({ port: pair.replicaPort, standby: true });
      expect(await asReader("r1", () => where(withDeadReplica))).toEqual({ port: pair.replicaPort, standby: true });
      expect(await asReader("r1", () => where(onlyDead))).toEqual({ port: pair.primaryPort, standby: false });
      expect(await asReader("r1", () => onlyDead.all<{ n: number }>(sql`select count(*) as n from app_meta where key = 'replica-test'`))).toEqual([{ n: 1 }]);
    } finally {
      await closeReplicated(withDeadReplica);
      await closeReplicated(onlyDead);
    }
  });

  it("refuses a bad DATABASE_READ_URLS, and one with a SQLite DATABASE_URL, in a sentence", () => {
    const primary = "postgres://app@db1:5432/ipr";
    expect(databaseReadUrls({ DATABASE_URL: primary, DATABASE_READ_URLS: " postgres://r@db2/ipr , postgresql://r@db3/ipr " })).toEqual([
      "postgres://r@db2/ipr",
      "postgresql://r@db3/ipr",
    ]);
    expect(databaseReadUrls({ DATABASE_URL: primary })).toEqual([]);
    expect(() => databaseReadUrls({ DATABASE_URL: primary, DATABASE_READ_URLS: "postgres://r:secret@db2/ipr,mysql://r@db3/ipr" })).toThrow(
      /DATABASE_READ_URLS must be PostgreSQL URLs separated by commas.*"mysql:\/\/r@db3\/ipr" is not one/,
    );
    expect(() => databaseReadUrls({ DATABASE_URL: primary, DATABASE_READ_URLS: "postgres://r@db2/ipr,," })).toThrow(/one of them is empty/);
    expect(() => databaseReadUrls({ DATABASE_URL: primary, DATABASE_READ_URLS: "postgres://r:secret@db2 x/ipr" })).toThrow(ConfigError);
    expect(() => databaseReadUrls({ DATABASE_URL: primary, DATABASE_READ_URLS: "postgres://r:secret@db2 x/ipr" })).not.toThrow(/secret/);
    for (const sqlite of [undefined, "file:data/ipr.db"]) {
      expect(() => databaseReadUrls({ DATABASE_URL: sqlite, DATABASE_READ_URLS: "postgres://r@db2/ipr" })).toThrow(
        /DATABASE_READ_URLS lists read replicas of a PostgreSQL database, but DATABASE_URL names a SQLite file/,
      );
      expect(() => checkEnv({ DATABASE_URL: sqlite, DATABASE_READ_URLS: "postgres://r@db2/ipr" })).toThrow(/DATABASE_URL names a SQLite file/);
    }
  });

  // last: it stops the primary
  it("when the primary stops, writes fail with the unavailable fault (503) while reads keep coming from the replica", async () => {
    await asReader("officer-f", () => remember("before-stop", "kept"));
    await pair.caughtUp();
    // the primary stops in the middle of a write: the write fails, and nothing of it stays
    const cut = await asReader("officer-f", () =>
      e.transaction(async (tx) => {
        await tx.run(sql`insert into app_meta (key, value) values ('during-stop', 'half')`);
        await pair.stopPrimary();
        await tx.run(sql`insert into app_meta (key, value) values ('during-stop-2', 'half')`);
      }),
    ).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(PrimaryUnavailableError);
    expect(await e.all(sql`select key from app_meta where key like 'during-stop%'`)).toEqual([]);

    const failed = await asReader("officer-f", () => remember("after-stop", "lost")).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(PrimaryUnavailableError);
    expect((failed as Error).message).toMatch(/^The primary database \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\) does not answer, so nothing can be written now/);
    expect((failed as Error).message).toMatch(/reads are still served by the read replicas/);
    // what the API (app/api/respond.ts dbFault) and the forms answer: 503 "unavailable", Retry-After
    expect(classifyDbError(failed)).toBe("unavailable");
    const answer = await guarded(async () => {
      await asReader("officer-f", () => remember("after-stop", "lost"));
      return new Response("written");
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe(String(DB_FAULT_RETRY_AFTER.unavailable));
    expect(await answer.json()).toEqual({ error: "unavailable", message: DB_FAULT_MESSAGES.unavailable });
    const run = await e.run(sql`delete from app_meta`).catch((error: unknown) => error);
    expect(run).toBeInstanceOf(PrimaryUnavailableError);

    // reads still answer, from the replica — also the writer's own, who would have gone to the primary
    expect(await where()).toEqual({ port: pair.replicaPort, standby: true });
    expect(await asReader("officer-f", () => recall("before-stop"))).toEqual({ value: "kept", port: pair.replicaPort, standby: true });
    expect(await asReader("officer-f", () => where())).toEqual({ port: pair.replicaPort, standby: true });

    // a read with no server answering is the same fault, saying so
    const nothing = replicatedEngine(pair.primaryUrl, [pair.primaryUrl]);
    try {
      const error = await where(nothing).catch((error: unknown) => error);
      expect(error).toBeInstanceOf(NoDatabaseAnswersError);
      expect((error as Error).message).toMatch(/^No database server answers/);
      expect(classifyDbError(error)).toBe("unavailable");
      // a builder select: drizzle's "Failed query" error carries it as its cause
      const { appMeta } = nothing.t;
      const builder = await nothing.db.select().from(appMeta).catch((error: unknown) => error);
      expect((builder as Error).cause).toBeInstanceOf(NoDatabaseAnswersError);
      expect(classifyDbError(builder)).toBe("unavailable");
    } finally {
      await closeReplicated(nothing);
    }
  });
});
