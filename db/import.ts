import { sql } from "drizzle-orm";
import { validateImport, nameKey, type ExistingCases, type ImportOptions, type ImportReference, type Validation } from "../lib/import/validate";
import type { ParsedFile } from "../lib/import/parse";
import type { ImportReport } from "../lib/import/report";
import { columnOfHeader } from "../lib/import/columns";
import { partyRoles, type Industry } from "../lib/enums";
import type { CaseInput } from "../lib/case-definition";
import { createRightHolder } from "./mutations/reference";
import type { Engine } from "./engine";
import { loadsWhole } from "./aggregate/store";
import { loadStoredCase, writeCases, type CaseWrite } from "./writer";
import { matchListed, watchRule } from "./watchlist";
import { todayInShanghai } from "../lib/case-schema";

// Bulk import of cases from a parsed spreadsheet (lib/import). planImport says what a
// commit would do without writing; commitImport writes every accepted row through the one
// writer (db/writer.ts) as one batch — cases, right holders, search documents, audit entries
// (action "import") and the derived figures — in ONE transaction, or nothing at all. A file
// with a rejected row commits nothing unless the caller chose to skip rejected rows.

export type { ImportOptions } from "../lib/import/validate";

export type { ImportReport };

/** Reference data in memory: offices, districts, right holders and campaigns by code or name. */
export async function loadImportReference(e: Engine): Promise<ImportReference> {
  const { customsOffices, rightHolders, campaigns: campaignTable } = e.t;
  const offices = await e.all<{ id: number; code: string; districtCode: string; districtId: number | null }>(
    sql`select o.id, o.code, coalesce(d.code, o.code) as "districtCode", o.district_id as "districtId"
      from ${customsOffices} o left join ${customsOffices} d on d.id = o.district_id`,
  );
  const holders = await e.all<{ id: number } & HolderInfo>(sql`select id, name, name_zh as "nameZh", industry from ${rightHolders}`);
  const campaigns = await e.all<{ id: number; code: string; nameEn: string; nameZh: string }>(
    sql`select id, code, name_en as "nameEn", name_zh as "nameZh" from ${campaignTable}`,
  );
  const holderMap = new Map<string, number>();
  for (const h of holders) {
    if (h.nameZh) holderMap.set(nameKey(h.nameZh), h.id);
  }
  for (const h of holders) holderMap.set(nameKey(h.name), h.id); // the English name wins a clash
  const campaignMap = new Map<string, number>();
  for (const c of campaigns) for (const k of [c.code, c.nameZh, c.nameEn]) campaignMap.set(nameKey(k), c.id);
  const recordations = await e.all<{ id: number; number: string; holderId: number; validFrom: string; validTo: string; status: string }>(
    sql`select id, number, holder_id as "holderId", valid_from as "validFrom", valid_to as "validTo", status from ${e.t.recordations}`,
  );
  return {
    recordations: new Map(recordations.map((r) => [r.number, r])),
    districts: new Map(offices.filter((o) => o.districtId === null).map((o) => [o.code, o.id])),
    offices: new Map(offices.map((o) => [o.code, { id: o.id, districtCode: o.districtCode }])),
    holders: holderMap,
    campaigns: campaignMap,
  };
}

type HolderInfo = { name: string; nameZh: string | null; industry: Industry };

/** The cases of the database with the file's case numbers. */
async function existingCases(e: Engine, parsedCaseNos: string[]): Promise<ExistingCases> {
  if (!parsedCaseNos.length) return new Map();
  const rows = await e.all<{ caseNo: string; id: number; version: number; deletedAt: number | null }>(
    sql`select c.case_no as "caseNo", c.id, c.version, c.deleted_at as "deletedAt"
      from ${e.t.cases} c where ${e.say.inList(sql`c.case_no`, parsedCaseNos)}`,
  );
  return new Map(rows.map((r) => [r.caseNo, { id: r.id, version: r.version, deleted: r.deletedAt !== null }]));
}

function caseNosOf(parsed: ParsedFile): string[] {
  const index = parsed.header.findIndex((h) => columnOfHeader(h) === "case_no");
  if (index < 0) return [];
  return [...new Set(parsed.rows.map((r) => (r.cells[index] ?? "").trim()).filter(Boolean))];
}

async function validate(e: Engine, parsed: ParsedFile, options: ImportOptions) {
  const reference = await loadImportReference(e);
  const validation = validateImport(parsed, reference, await existingCases(e, caseNosOf(parsed)), options);
  return { reference, validation };
}

function reportOf(v: Validation, committed: boolean): ImportReport {
  return {
    total: v.total,
    creates: v.accepted.filter((a) => !a.existing).length,
    updates: v.accepted.filter((a) => a.existing).length,
    rejected: v.rejected,
    holdersToCreate: v.holdersToCreate.map((h) => h.name),
    warnings: v.warnings,
    committed,
  };
}

/** What a commit would do, without writing anything. */
export async function planImport(e: Engine, parsed: ParsedFile, options: ImportOptions): Promise<ImportReport> {
  const { validation } = await validate(e, parsed, options);
  return { ...reportOf(validation, false), watchList: await watchListRows(e, validation) };
}

/**
 * The accepted rows that name a party on the watch-list (issue 18, item 2): a warning per row,
 * never a refusal. One match over all the file's parties (db/watchlist.ts), under the admin's rule.
 */
export async function watchListRows(e: Engine, v: Validation, today = todayInShanghai()): Promise<NonNullable<ImportReport["watchList"]>> {
  const probes: { row: number; caseNo: string; kind: string | null; name: string | null; code: string | null }[] = [];
  for (const a of v.accepted) {
    const values = a.input as Record<string, unknown>;
    for (const role of partyRoles.values) {
      const name = (values[`${role}Name`] as string | null) ?? null;
      const code = (values[`${role}Code`] as string | null) ?? null;
      if (name || code) probes.push({ row: a.row, caseNo: a.input.caseNo, kind: (values[`${role}Kind`] as string | null) ?? null, name, code });
    }
  }
  if (!probes.length) return [];
  const { matches } = await matchListed(e, probes, await watchRule(e), today);
  const byRow = new Map<number, { row: number; caseNo: string; names: string[] }>();
  for (const m of matches) {
    const p = probes[m.probe]!;
    const entry = byRow.get(p.row) ?? { row: p.row, caseNo: p.caseNo, names: [] };
    if (!entry.names.includes(m.party.name)) entry.names.push(m.party.name);
    byRow.set(p.row, entry);
  }
  return [...byRow.values()].sort((a, b) => a.row - b.row);
}

// ---- the write ---------------------------------------------------------------------------

/** A right holder created by an import: unknown country (ZZ) until an admin fills it in. */
export const NEW_HOLDER_COUNTRY = "ZZ";

/**
 * Whether the import is a bulk load for the aggregate stores: when its change-log rows (a
 * new case logs itself and each link; an edit itself, its old and its new links) would make
 * a store load everything again anyway, the writer pauses the log for the batch and leaves one
 * "everything changed" row (derived: "rebuild"); a smaller import lets the triggers name its
 * cases, and every store loads just those again.
 */
async function bulkLoad(tx: Engine, writes: CaseWrite[]): Promise<boolean> {
  let logRows = 0;
  for (const w of writes) {
    const links = w.op === "create" || w.op === "update" ? w.input.rightHolderIds.length : 0;
    logRows += w.op === "update" ? 1 + 2 * links : 1 + links;
  }
  const rows = (await tx.get<{ n: number }>(sql`select count(*) as n from ${tx.t.cases}`))!.n;
  return loadsWhole(logRows, rows);
}

/**
 * Writes the file's accepted rows in one transaction (validated again under the
 * write lock). Nothing is written when a row is rejected and `skipInvalid` is off, or when
 * anything throws (the transaction rolls back).
 */
export async function commitImport(e: Engine, parsed: ParsedFile, options: ImportOptions, userId: string | null): Promise<ImportReport> {
  return e.transaction(async (tx): Promise<ImportReport> => {
    const { validation } = await validate(tx, parsed, options);
    if (validation.rejected.length && !options.skipInvalid) return reportOf(validation, false);

    // right holders first, each with its own audit entry (as the admin page makes them)
    const newHolderIds = new Map<string, number>();
    for (const h of validation.holdersToCreate) {
      const input = { name: h.name, nameZh: h.nameZh, country: NEW_HOLDER_COUNTRY, industry: h.industry, foreignInvested: false, qbpcMember: false };
      const { id } = await createRightHolder(tx, input, userId);
      newHolderIds.set(nameKey(h.name), id);
    }

    // every accepted row through the one writer, as one batch: validated above under this write lock
    const caseNos: string[] = [];
    const writes: CaseWrite[] = [];
    for (const row of validation.accepted) {
      const ids = [...new Set([...row.input.rightHolderIds, ...row.newHolders.map((n) => newHolderIds.get(nameKey(n))!)])];
      const input: CaseInput = { ...row.input, rightHolderIds: ids };
      caseNos.push(input.caseNo);
      if (row.existing) await keepPersonNumbers(tx, row.existing.id, input);
      writes.push(row.existing ? { op: "update", id: row.existing.id, expectedVersion: row.existing.version, input } : { op: "create", input });
    }
    await writeCases(tx, writes, { userId, audit: "import", validated: true, derived: (await bulkLoad(tx, writes)) ? "rebuild" : "delta" });
    // the watch-list as it stands with this file's cases written
    return { ...reportOf(validation, true), caseNos, watchList: await watchListRows(tx, validation) };
  });
}

/**
 * An update from a file keeps the identity number of a natural person the case already names
 * (same role, same name) when the file gives none: an export holds it masked only, and the
 * import reads a masked number as none. Numbers are removed by the retention's erasure.
 */
async function keepPersonNumbers(tx: Engine, caseId: number, input: CaseInput): Promise<void> {
  const v = input as Record<string, unknown>;
  const roles = partyRoles.values.filter((role) => v[`${role}Kind`] === "person" && !v[`${role}Code`]);
  if (!roles.length) return;
  const stored = (await loadStoredCase(tx, caseId)) as Record<string, unknown> | undefined;
  if (!stored) return;
  for (const role of roles) {
    if (stored[`${role}Kind`] === "person" && stored[`${role}Name`] === v[`${role}Name`] && stored[`${role}Code`]) v[`${role}Code`] = stored[`${role}Code`];
  }
}
