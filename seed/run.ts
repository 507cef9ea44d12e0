import { deleteAllData, insertRecordations, insertSeedAttachments, insertSeedGuides, insertReference, isEmpty, markDemo, seedGuideHolders } from "../db/bulk";
import { seedGuides } from "./guides";
import { partyGenerator } from "./parties";
import { sqliteEngine, type Engine } from "../db/engine";
import { withPostgresChangeLogPaused } from "../db/postgres/change-log";
import { refreshPlannerStatistics } from "../db/sqlite/engine";
import { drizzleOf, type Connection } from "../db/sqlite/open";
import { writeCases, type CaseWrite } from "../db/writer";
import { withBlanks } from "../lib/case-definition";
import { insertSteps } from "../db/procedure";
import { createRandom } from "../lib/prng";
import { todayInBeijing } from "../lib/recordations";
import { buildReference, FIRST_YEAR, generateCases, type GeneratedCase } from "./generate";
import { recordationLinker } from "./recordation-links";
import { generateRecordations } from "./recordations";
import { demoNoticeCases, withDemoNotices } from "./notices";
import { getsSteps, seedSteps, type CaseForSteps } from "./steps";
import { getsAttachments, seedAttachments, type CaseForAttachments } from "./attachments";

export class NotEmptyError extends Error {
  override name = "NotEmptyError";
}

export type SeedResult = { cases: number; milliseconds: number; phases: Record<"insert" | "derived" | "analyze", number> };

/** A generated case as a write: its id and creation time as the generator chose them, and its recordations. */
function seedWrite(c: GeneratedCase, recordationIds: number[]): CaseWrite {
  const { id, createdAt, ...input } = c;
  return { op: "create", input: withBlanks({ ...input, recordationIds }), id, createdAt };
}

/**
 * Seeds demo data into a migrated database (either engine) in one transaction: all of it, or
 * nothing. The same arguments give the same rows on both engines. A SQLite connection is
 * taken as its engine.
 */
export async function seedDatabase(
  target: Engine | Connection,
  options: { cases: number; seed: number; reset?: boolean; /** the seed's clock: the demo member's notices are served relative to it */ now?: Date },
): Promise<SeedResult> {
  const e = "dialect" in target ? target : sqliteEngine(drizzleOf(target));
  const started = performance.now();
  if (!options.reset && !(await isEmpty(e))) {
    throw new NotEmptyError("The database already holds data; run the seed with --reset to replace it.");
  }
  const reference = buildReference();
  let count = 0;
  const phases = { insert: 0, derived: 0, steps: 0, attachments: 0, guides: 0, analyze: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const now = performance.now();
    phases[phase] += now - mark;
    mark = now;
  };
  await e.transaction(async (tx) => {
    // PostgreSQL logs every statement that writes reference data (a row with case id -1, its
    // change counter) unless the log is paused: the whole seed is one bulk load, logged as the
    // one "everything changed" row the writer's load appends (SQLite logs cases only)
    if (tx.dialect === "postgres") return withPostgresChangeLogPaused(tx, () => fill(tx));
    return fill(tx);
  });
  async function fill(tx: Engine): Promise<void> {
    if (options.reset) await deleteAllData(tx);
    await insertReference(tx, reference);
    // recordations for every right holder (their own random stream: the cases stay as they
    // were), each holder's main mark recorded before the first case year; a case rests on
    // its holders' recordations valid on its seizure date
    const recordations = generateRecordations(
      reference.holders.map((h, i) => ({ id: i + 1, name: h.name, nameZh: h.nameZh, industry: h.industry })),
      createRandom(options.seed * 7919 + 17),
      { today: todayInBeijing(), earliest: `${FIRST_YEAR}-01-01` },
    );
    await insertRecordations(tx, recordations, Date.now());
    const linksOf = recordationLinker(recordations);
    // the one writer with the ids and times the generator assigned, no audit rows (generated
    // data, not anyone's change), checked by the generator, derived figures rebuilt at the end
    // the cases that get procedure steps (seed/steps.ts), kept as the generator made them
    const stepped: CaseForSteps[] = [];
    // and the cases that get demo files (seed/attachments.ts)
    const attached: CaseForAttachments[] = [];
    // and each case's parties and route, from their own random stream (seed/parties.ts)
    const partiesOf = partyGenerator(options.seed, reference);
    function* writes(): Generator<CaseWrite> {
      for (const batch of generateCases({ cases: options.cases, seed: options.seed, reference })) {
        for (const c of batch) {
          if (getsSteps(c)) stepped.push(c);
          if (getsAttachments(c)) attached.push({ id: c.id, caseNo: c.caseNo, seizedOn: c.seizedOn, rightHolderIds: c.rightHolderIds, createdAt: c.createdAt });
          yield seedWrite({ ...c, ...partiesOf(c) }, linksOf(c));
        }
        count += batch.length;
      }
      lap("insert");
    }
    await writeCases(tx, writes(), { userId: null, audit: false, derived: "rebuild", validated: true });
    lap("derived");
    // their steps: each history ends in the status the case was written with, so no figure moves
    // (and the demo member's inbox: notices served relative to the seed's clock, seed/notices.ts)
    await insertSteps(tx, withDemoNotices(seedSteps(stepped, options.seed), await demoNoticeCases(tx, stepped), options.now ?? new Date()));
    lap("steps");
    // their files: no case row changes, so the published figures stay as they were
    await insertSeedAttachments(tx, await seedAttachments(attached, options.seed));
    lap("attachments");
    // the demo guides (seed/guides.ts): their own random stream, no case row touched
    await insertSeedGuides(tx, await seedGuides(await seedGuideHolders(tx, 6), options.seed, (options.now ?? new Date()).getTime()));
    lap("guides");
    await markDemo(tx, { cases: count, seed: options.seed });
  }
  if (e.dialect === "sqlite") refreshPlannerStatistics(e.db.$client);
  // PostgreSQL: the load analysed its tables before it committed (db/postgres/case-store.ts)
  lap("analyze");
  return { cases: count, milliseconds: performance.now() - started, phases };
}
