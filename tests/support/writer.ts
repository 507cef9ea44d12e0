// A second process writing to a test database, for the fault tests (crash, busy).
//
//   tsx tests/support/writer.ts <file> cases <prefix> [seconds]
//       creates cases <prefix>-1, <prefix>-2, … through createCase and prints
//       "committed N" after each commit returns (the acknowledgement), until killed
//       or for [seconds] (30 by default)
//   tsx tests/support/writer.ts <file> hold <caseNo>
//       BEGIN IMMEDIATE, creates the case <caseNo> inside it, prints "locked", holds the
//       write lock until a line arrives on stdin (or stdin closes), COMMITs and prints
//       "released": the test decides when, so nothing depends on how fast the machine is
//   tsx tests/support/writer.ts <file> write <create CASE-NO | delete ID | restore ID>
//       prints "writing", makes that one write as the app does and prints "written"; it
//       waits for a held lock as long as it is held (busy_timeout raised from the app's 5 s
//       to 10 minutes, so that a slow machine cannot turn a wait into a failure)
//
// stdout is a pipe: on Linux a write to a pipe is synchronous, so a printed line is in the
// pipe (and reaches the parent) even when this process is killed right after.
import fs from "node:fs";
import { createCase, restoreCase, softDeleteCase, type CaseInput } from "../../db/mutations/cases";
import { openSqlite } from "../../db/sqlite/open";

const [file, mode, ...rest] = process.argv.slice(2);
if (!file || !mode) throw new Error("usage: writer.ts <file> cases <prefix> [seconds] | hold <ms> <caseNo>");
const sqlite = openSqlite(file);
const one = <T>(q: string) => sqlite.prepare(q).get() as T;
const officeId = one<{ id: number }>("select id from customs_offices order by id limit 1").id;
const holders = (sqlite.prepare("select id from right_holders order by id limit 2").all() as { id: number }[]).map((r) => r.id);

function caseInput(caseNo: string, n: number): CaseInput {
  return {
    caseNo, officeId, seizedOn: "2024-05-06", infringementType: "trademark", goodsCategory: "toys",
    goodsDescription: "Toys written by a second process", pieces: n, valueFen: 100 * n, direction: "export", channel: "postal",
    transport: "post", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "MM", campaignId: null,
    status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
    rightHolderIds: holders,
  };
}

if (mode === "cases") {
  const prefix = rest[0] ?? "WRITER";
  const deadline = Date.now() + Number(rest[1] ?? 30) * 1000;
  for (let n = 1; Date.now() < deadline; n++) {
    createCase(sqlite, caseInput(`${prefix}-${n}`, n), null);
    process.stdout.write(`committed ${n}\n`);
  }
} else if (mode === "hold") {
  sqlite.exec("BEGIN IMMEDIATE");
  createCase(sqlite, caseInput(rest[0] ?? "HOLD-1", 1), null); // a savepoint inside the open transaction
  process.stdout.write("locked\n");
  waitForLine();
  sqlite.exec("COMMIT");
  process.stdout.write("released\n");
  sqlite.close();
} else if (mode === "write") {
  const [what, target] = rest;
  sqlite.pragma("busy_timeout = 600000");
  process.stdout.write("writing\n");
  if (what === "create") createCase(sqlite, caseInput(target!, 3), null);
  else if (what === "delete") softDeleteCase(sqlite, Number(target), null);
  else if (what === "restore") restoreCase(sqlite, Number(target), null);
  else throw new Error(`unknown write ${what}`);
  process.stdout.write("written\n");
  sqlite.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}

/** Blocks until a line (or the end) arrives on stdin: the holder keeps its lock meanwhile. */
function waitForLine(): void {
  const buffer = Buffer.alloc(64);
  for (;;) {
    let read: number;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (read === 0 || buffer.subarray(0, read).includes(10)) return;
  }
}
