// A second process writing to a test database, for the fault and concurrency tests (crash,
// busy, case-writes' two connections). <db> is a SQLite file (a path or file:…) or a
// PostgreSQL URL (postgres://…): the process opens it as its engine (db/open.ts).
//
//   tsx tests/support/writer.ts <db> cases <prefix> [seconds]
//       creates cases <prefix>-1, <prefix>-2, … through createCase and prints
//       "committed N" after each commit returns (the acknowledgement), until killed
//       or for [seconds] (30 by default)
//   tsx tests/support/writer.ts <db> hold <caseNo>
//       opens a write transaction (SQLite: BEGIN IMMEDIATE), creates the case <caseNo> inside
//       it, prints "locked", holds the transaction until a line arrives on stdin (or stdin
//       closes), commits and prints "released": the test decides when, so nothing depends on
//       how fast the machine is
//   tsx tests/support/writer.ts <db> write <create CASE-NO | delete ID | restore ID>
//       prints "writing", makes that one write as the app does and prints "written"; it
//       waits for a held lock as long as it is held (SQLite: busy_timeout raised from the
//       app's 5 s to 10 minutes, so that a slow machine cannot turn a wait into a failure)
//   tsx tests/support/writer.ts <db> edit <ID> <VERSION> <user> [written]
//       edits case ID made against VERSION as user <user> (its notes), printing "edited N"
//       (the new version) or "refused <name>: <message>" for a refusal; with "written" it
//       prints "written" once the edit is made inside its transaction and waits for a line
//       on stdin before it commits (so a second connection's edit meets it uncommitted)
//
// stdout is a pipe: on Linux a write to a pipe is synchronous, so a printed line is in the
// pipe (and reaches the parent) even when this process is killed right after.
import { sql } from "drizzle-orm";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { createCase, restoreCase, softDeleteCase, type CaseInput } from "../../db/mutations/cases";
import { closeEngine, openEngine } from "../../db/open";
import { writeCases } from "../../db/writer";

const [target, mode, ...rest] = process.argv.slice(2);
if (!target || !mode) throw new Error("usage: writer.ts <db> cases <prefix> [seconds] | hold <caseNo> | write <what> <target> | edit <id> <version> <user> [hold]");

/** Resolves when a line (or the end) arrives on stdin: the holder keeps its transaction meanwhile. */
function lineOnStdin(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.stdin.off("data", onData);
      process.stdin.off("end", done);
      process.stdin.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      if (chunk.includes(10)) done();
    };
    process.stdin.on("data", onData);
    process.stdin.on("end", done);
  });
}

async function main(e: Engine): Promise<void> {
  const { customsOffices, rightHolders } = e.t;
  const officeId = (await e.get<{ id: number }>(sql`select id from ${customsOffices} order by id limit 1`))!.id;
  const holders = (await e.all<{ id: number }>(sql`select id from ${rightHolders} order by id limit 2`)).map((r) => r.id);
  const caseInput = (caseNo: string, n: number): CaseInput => ({
    caseNo, officeId, seizedOn: "2024-05-06", infringementType: "trademark", goodsCategory: "toys",
    goodsDescription: "Toys written by a second process", pieces: n, valueFen: 100 * n, direction: "export", channel: "postal",
    transport: "post", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "MM", campaignId: null,
    status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
    rightHolderIds: holders,
  });

  if (mode === "cases") {
    const prefix = rest[0] ?? "WRITER";
    const deadline = Date.now() + Number(rest[1] ?? 30) * 1000;
    for (let n = 1; Date.now() < deadline; n++) {
      await createCase(e, caseInput(`${prefix}-${n}`, n), null);
      process.stdout.write(`committed ${n}\n`);
    }
  } else if (mode === "hold") {
    await e.transaction(async (tx) => {
      await createCase(tx, caseInput(rest[0] ?? "HOLD-1", 1), null); // a savepoint inside the open transaction
      process.stdout.write("locked\n");
      await lineOnStdin();
    });
    process.stdout.write("released\n");
  } else if (mode === "write") {
    const [what, id] = rest;
    sqliteConnectionOf(e)?.pragma("busy_timeout = 600000");
    process.stdout.write("writing\n");
    if (what === "create") await createCase(e, caseInput(id!, 3), null);
    else if (what === "delete") await softDeleteCase(e, Number(id), null);
    else if (what === "restore") await restoreCase(e, Number(id), null);
    else throw new Error(`unknown write ${what}`);
    process.stdout.write("written\n");
  } else if (mode === "edit") {
    const [id, version, user, hold] = rest;
    sqliteConnectionOf(e)?.pragma("busy_timeout = 600000");
    try {
      const result = await e.transaction(async (tx) => {
        const { cases } = tx.t;
        // the case as the form showed it, read inside this transaction
        const row = await tx.get<{ caseNo: string }>(sql`select case_no as "caseNo" from ${cases} where id = ${Number(id)}`);
        const input = { ...caseInput(row!.caseNo, 7), notes: `edited by ${user}` };
        const written = await writeCases(tx, [{ op: "update", id: Number(id), expectedVersion: Number(version), input }], { userId: user! });
        if (hold === "written") {
          process.stdout.write("written\n");
          await lineOnStdin();
        }
        return written;
      });
      process.stdout.write(`edited ${result.cases[0]!.version}\n`);
    } catch (error) {
      process.stdout.write(`refused ${(error as Error).name}: ${(error as Error).message}\n`);
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

const e = openEngine(target);
main(e).finally(() => closeEngine(e));
