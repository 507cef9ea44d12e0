import type Database from "better-sqlite3";
import { validateImport, nameKey, type AcceptedRow, type ExistingCases, type ImportOptions, type ImportReference, type Rejection, type Validation } from "../lib/import/validate";
import type { ParsedFile } from "../lib/import/parse";
import { columnOfHeader } from "../lib/import/columns";
import { industries, type Industry } from "../lib/enums";
import type { CaseInput } from "./mutations/cases";
import { createRightHolder } from "./mutations/reference";
import type { Db } from "./open";
import { NO_CAMPAIGN_COLUMN, NO_DISPOSAL, NO_OFFICE, NO_TYPE, ROLLUPS, STATS_GRAINS, type RollupKeyed } from "./rollup";
import { searchIndexWriter } from "./search-index";

// Bulk import of cases from a parsed spreadsheet (lib/import). planImport says what a
// commit would do without writing; commitImport writes every accepted row with its right
// holders, search document, audit entry (action "import") and the derived tables in ONE
// transaction, or nothing at all. A file with a rejected row commits nothing unless the
// caller chose to skip rejected rows.
//
// Speed: the rows are inserted with prepared statements, and the rollups and the cube get
// one upsert per touched cell with the summed deltas of every imported case (rather than
// one per case and cell as applyRollupDelta does) — the same arithmetic, checked by
// rollupMismatches in tests/integration/import.test.ts.

export type { ImportOptions } from "../lib/import/validate";

export type ImportReport = {
  /** data rows in the file */
  total: number;
  /** rows that create a case / update one */
  creates: number;
  updates: number;
  rejected: Rejection[];
  /** right holders that are (or would be) created, by name */
  holdersToCreate: string[];
  /** whether this was written (commitImport only) */
  committed: boolean;
  /** case numbers of the rows written, in file order (commitImport only) */
  caseNos?: string[];
};

type Sqlite = Database.Database;
const sqliteOf = (db: Db | Sqlite): Sqlite => ("$client" in db ? db.$client : (db as Sqlite));

/** Reference data in memory: offices, districts, right holders and campaigns by code or name. */
export function loadImportReference(sqlite: Sqlite): ImportReference & { holderInfo: Map<number, HolderInfo> } {
  const offices = sqlite
    .prepare(`select o.id, o.code, coalesce(d.code, o.code) as districtCode, o.district_id as districtId
      from customs_offices o left join customs_offices d on d.id = o.district_id`)
    .all() as { id: number; code: string; districtCode: string; districtId: number | null }[];
  const holders = sqlite.prepare("select id, name, name_zh as nameZh, industry from right_holders").all() as ({ id: number } & HolderInfo)[];
  const campaigns = sqlite.prepare("select id, code, name_en as nameEn, name_zh as nameZh from campaigns").all() as { id: number; code: string; nameEn: string; nameZh: string }[];
  const holderMap = new Map<string, number>();
  for (const h of holders) {
    if (h.nameZh) holderMap.set(nameKey(h.nameZh), h.id);
  }
  for (const h of holders) holderMap.set(nameKey(h.name), h.id); // the English name wins a clash
  const campaignMap = new Map<string, number>();
  for (const c of campaigns) for (const k of [c.code, c.nameZh, c.nameEn]) campaignMap.set(nameKey(k), c.id);
  return {
    districts: new Map(offices.filter((o) => o.districtId === null).map((o) => [o.code, o.id])),
    offices: new Map(offices.map((o) => [o.code, { id: o.id, districtCode: o.districtCode }])),
    holders: holderMap,
    campaigns: campaignMap,
    holderInfo: new Map(holders.map((h) => [h.id, { name: h.name, nameZh: h.nameZh, industry: h.industry }])),
  };
}

type HolderInfo = { name: string; nameZh: string | null; industry: Industry };

/** The cases of the database with the file's case numbers. */
function existingCases(sqlite: Sqlite, parsedCaseNos: string[]): ExistingCases {
  const rows = sqlite
    .prepare(`select c.case_no as caseNo, c.id, c.version, c.deleted_at is not null as deleted
      from json_each(?) j join cases c on c.case_no = j.value`)
    .all(JSON.stringify(parsedCaseNos)) as { caseNo: string; id: number; version: number; deleted: number }[];
  return new Map(rows.map((r) => [r.caseNo, { id: r.id, version: r.version, deleted: r.deleted === 1 }]));
}

function caseNosOf(parsed: ParsedFile): string[] {
  const index = parsed.header.findIndex((h) => columnOfHeader(h) === "case_no");
  if (index < 0) return [];
  return [...new Set(parsed.rows.map((r) => (r.cells[index] ?? "").trim()).filter(Boolean))];
}

function validate(sqlite: Sqlite, parsed: ParsedFile, options: ImportOptions) {
  const reference = loadImportReference(sqlite);
  const validation = validateImport(parsed, reference, existingCases(sqlite, caseNosOf(parsed)), options);
  return { reference, validation };
}

function reportOf(v: Validation, committed: boolean): ImportReport {
  return {
    total: v.total,
    creates: v.accepted.filter((a) => !a.existing).length,
    updates: v.accepted.filter((a) => a.existing).length,
    rejected: v.rejected,
    holdersToCreate: v.holdersToCreate.map((h) => h.name),
    committed,
  };
}

/** What a commit would do, without writing anything. */
export function planImport(db: Db | Sqlite, parsed: ParsedFile, options: ImportOptions): ImportReport {
  return reportOf(validate(sqliteOf(db), parsed, options).validation, false);
}

// ---- the write -------------------------------------------------------------------------

const CASE_COLUMNS = `case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces, value_fen,
    direction, channel, transport, protection_mode, origin_country, destination_country, campaign_id, status, disposal,
    hearing_held, referred_to_police, penalty_fen, notes`;
const CASE_VALUES = `@caseNo, @officeId, @seizedOn, @infringementType, @goodsCategory, @goodsDescription, @pieces, @valueFen,
    @direction, @channel, @transport, @protectionMode, @originCountry, @destinationCountry, @campaignId, @status, @disposal,
    @hearingHeld, @referredToPolice, @penaltyFen, @notes`;

/** The fields of CaseInput in the form's order, as audit entries list them. */
const INPUT_FIELDS = [
  "caseNo", "officeId", "seizedOn", "infringementType", "goodsCategory", "goodsDescription", "pieces", "valueFen",
  "direction", "channel", "transport", "protectionMode", "originCountry", "destinationCountry", "campaignId", "status",
  "disposal", "hearingHeld", "referredToPolice", "penaltyFen", "notes", "rightHolderIds",
] as const satisfies readonly (keyof CaseInput)[];

function statements(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare(`insert into cases (${CASE_COLUMNS}, created_at, created_by, updated_at, updated_by, version)
      values (${CASE_VALUES}, @now, @userId, @now, @userId, 1)`),
    update: sqlite.prepare(`update cases set (${CASE_COLUMNS}, updated_at, updated_by, version) =
      (${CASE_VALUES}, @now, @userId, version + 1) where id = @id and version = @expectedVersion and deleted_at is null`),
    stored: sqlite.prepare(`select case_no as caseNo, office_id as officeId, seized_on as seizedOn, infringement_type as infringementType,
        goods_category as goodsCategory, goods_description as goodsDescription, pieces, value_fen as valueFen, direction, channel,
        transport, protection_mode as protectionMode, origin_country as originCountry, destination_country as destinationCountry,
        campaign_id as campaignId, status, disposal, hearing_held as hearingHeld, referred_to_police as referredToPolice,
        penalty_fen as penaltyFen, notes, version from cases where id = ?`),
    holderIds: sqlite.prepare("select right_holder_id from case_right_holders where case_id = ? order by right_holder_id").pluck(),
    insertLink: sqlite.prepare("insert into case_right_holders (case_id, right_holder_id) values (?, ?)"),
    deleteLinks: sqlite.prepare("delete from case_right_holders where case_id = ?"),
    audit: sqlite.prepare("insert into audit_log (at, user_id, action, entity, entity_id, before, after) values (?, ?, 'import', 'case', ?, ?, ?)"),
  };
}

const rowParams = (input: CaseInput, userId: string | null, now: number) => {
  const { rightHolderIds: _ids, ...fields } = input;
  return { ...fields, hearingHeld: input.hearingHeld ? 1 : 0, referredToPolice: input.referredToPolice ? 1 : 0, now, userId };
};

type Cell = { key: Record<string, string | number>; cases: number; pieces: number; value: number };

/** Summed deltas of many cases per cell of the rollups and the cube, written once per cell. */
class DeltaAccumulator {
  private rollups = ROLLUPS.map(() => new Map<string, Cell>());
  private stats = new Map<string, Cell>();
  constructor(private districtOf: (officeId: number) => number, private industryOf: (holderId: number) => string) {}

  private add(map: Map<string, Cell>, key: Record<string, string | number>, sign: number, c: RollupKeyed) {
    const id = JSON.stringify(Object.values(key));
    let cell = map.get(id);
    if (!cell) map.set(id, (cell = { key, cases: 0, pieces: 0, value: 0 }));
    cell.cases += sign;
    cell.pieces += sign * c.pieces;
    cell.value += sign * c.valueFen;
  }

  /** The same cells as applyRollupDelta (db/rollup.ts) moves one case in or out of. */
  apply(c: RollupKeyed, sign: 1 | -1): void {
    const year = Number(c.seizedOn.slice(0, 4));
    const district = this.districtOf(c.officeId);
    const campaign = c.campaignId ?? 0;
    const columns: Record<string, string | number> = {
      infringement_type: c.infringementType, goods_category: c.goodsCategory, direction: c.direction, channel: c.channel,
      transport: c.transport, protection_mode: c.protectionMode, status: c.status, campaign_id: campaign,
    };
    ROLLUPS.forEach((r, i) => {
      const key: Record<string, string | number> = { year, district_id: district };
      for (const col of r.columns) key[col] = columns[col]!;
      this.add(this.rollups[i]!, key, sign, c);
    });
    const holderIds = [...new Set(c.holderIds)];
    const cells: [string, string][] = [
      ["all", ""], ["type", c.infringementType], ["category", c.goodsCategory], ["direction", c.direction], ["channel", c.channel],
      ["transport", c.transport], ["mode", c.protectionMode], ["status", c.status], ["disposal", c.disposal ?? NO_DISPOSAL],
      ...holderIds.map((id): [string, string] => ["holder", String(id)]),
      ...[...new Set(holderIds.map(this.industryOf))].sort().map((industry): [string, string] => ["industry", industry]),
    ];
    for (const g of STATS_GRAINS) {
      const office = g.office ? c.officeId : NO_OFFICE;
      const type = g.typeCampaign ? c.infringementType : NO_TYPE;
      const camp = g.typeCampaign ? campaign : NO_CAMPAIGN_COLUMN;
      for (const [dim, v] of cells) this.add(this.stats, { grain: g.grain, dim, year, office, type, campaign: camp, v }, sign, c);
    }
  }

  /** Writes the summed deltas: one upsert per touched cell, and drops cells left with no case. */
  flush(sqlite: Sqlite): { cells: number } {
    let cells = 0;
    ROLLUPS.forEach((r, i) => {
      const keys = ["year", "district_id", ...r.columns];
      const upsert = sqlite.prepare(`insert into ${r.table} (${keys.join(", ")}, cases, pieces, value_fen)
        values (${keys.map((k) => `@${k}`).join(", ")}, @cases, @pieces, @value)
        on conflict (${keys.join(", ")}) do update set
          cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`);
      const prune = sqlite.prepare(`delete from ${r.table} where ${keys.map((k) => `${k} = @${k}`).join(" and ")} and cases = 0`);
      for (const cell of this.rollups[i]!.values()) {
        if (cell.cases === 0 && cell.pieces === 0 && cell.value === 0) continue;
        upsert.run({ ...cell.key, cases: cell.cases, pieces: cell.pieces, value: cell.value });
        if (cell.cases <= 0) prune.run(cell.key);
        cells++;
      }
    });
    const statsKeys = "grain, dim, year, office_id, infringement_type, campaign_id, value";
    const upsert = sqlite.prepare(`insert into case_stats (${statsKeys}, cases, pieces, value_fen)
      values (@grain, @dim, @year, @office, @type, @campaign, @v, @cases, @pieces, @value)
      on conflict (${statsKeys}) do update set
        cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`);
    const prune = sqlite.prepare(`delete from case_stats where grain = @grain and dim = @dim and year = @year and office_id = @office
      and infringement_type = @type and campaign_id = @campaign and value = @v and cases = 0`);
    for (const cell of this.stats.values()) {
      if (cell.cases === 0 && cell.pieces === 0 && cell.value === 0) continue;
      upsert.run({ ...cell.key, cases: cell.cases, pieces: cell.pieces, value: cell.value });
      if (cell.cases <= 0) prune.run(cell.key);
      cells++;
    }
    return { cells };
  }
}

/** A right holder created by an import: unknown country (ZZ) until an admin fills it in. */
export const NEW_HOLDER_COUNTRY = "ZZ";

/**
 * Writes the file's accepted rows in one IMMEDIATE transaction (validated again under the
 * write lock). Nothing is written when a row is rejected and `skipInvalid` is off, or when
 * anything throws (the transaction rolls back).
 */
export function commitImport(db: Db | Sqlite, parsed: ParsedFile, options: ImportOptions, userId: string | null): ImportReport {
  const sqlite = sqliteOf(db);
  return sqlite.transaction((): ImportReport => {
    const { reference, validation } = validate(sqlite, parsed, options);
    if (validation.rejected.length && !options.skipInvalid) return reportOf(validation, false);
    const holderInfo = reference.holderInfo;

    // right holders first, each with its own audit entry (as the admin page makes them)
    const newHolderIds = new Map<string, number>();
    for (const h of validation.holdersToCreate) {
      const input = { name: h.name, nameZh: h.nameZh, country: NEW_HOLDER_COUNTRY, industry: h.industry, foreignInvested: false, qbpcMember: false };
      const { id } = createRightHolder(sqlite, input, userId);
      newHolderIds.set(nameKey(h.name), id);
      holderInfo.set(id, { name: h.name, nameZh: h.nameZh, industry: h.industry });
    }

    const districtIds = new Map(
      (sqlite.prepare("select id, coalesce(district_id, id) as d from customs_offices").all() as { id: number; d: number }[]).map((r) => [r.id, r.d]),
    );
    const deltas = new DeltaAccumulator(
      (officeId) => {
        const d = districtIds.get(officeId);
        if (d === undefined) throw new Error(`No customs office with id ${officeId}.`);
        return d;
      },
      (holderId) => holderInfo.get(holderId)?.industry ?? industries.values[0],
    );
    const st = statements(sqlite);
    const fts = searchIndexWriter(sqlite);
    const holderNames = (ids: number[]) => ids.map((id) => `${holderInfo.get(id)!.name} ${holderInfo.get(id)!.nameZh ?? ""}`);
    const now = Date.now();
    const caseNos: string[] = [];

    for (const row of validation.accepted) {
      const ids = [...new Set([...row.input.rightHolderIds, ...row.newHolders.map((n) => newHolderIds.get(nameKey(n))!)])].sort((a, b) => a - b);
      const data: CaseInput = { ...row.input, rightHolderIds: ids };
      if (row.existing) updateOne(row, data);
      else {
        const id = Number(st.insert.run(rowParams(data, userId, now)).lastInsertRowid);
        for (const holderId of ids) st.insertLink.run(id, holderId);
        fts.add({ caseId: id, caseNo: data.caseNo, goods: data.goodsDescription, holderNames: holderNames(ids) });
        st.audit.run(now, userId, id, JSON.stringify(null), JSON.stringify(data));
      }
      deltas.apply({ ...data, holderIds: ids }, 1);
      caseNos.push(data.caseNo);
    }

    function updateOne(row: AcceptedRow, data: CaseInput) {
      const { id, version } = row.existing!;
      const stored = st.stored.get(id) as (Omit<CaseInput, "hearingHeld" | "referredToPolice" | "rightHolderIds"> & { hearingHeld: number; referredToPolice: number; version: number }) | undefined;
      if (!stored || stored.version !== version) throw new Error(`Case ${data.caseNo} changed while it was being imported.`);
      const was: CaseInput = { ...stored, hearingHeld: stored.hearingHeld === 1, referredToPolice: stored.referredToPolice === 1, rightHolderIds: st.holderIds.all(id) as number[] };
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const field of INPUT_FIELDS) {
        const a = was[field];
        const b = data[field];
        const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
        if (!same) {
          before[field] = a;
          after[field] = b;
        }
      }
      deltas.apply({ ...was, holderIds: was.rightHolderIds }, -1);
      if (st.update.run({ ...rowParams(data, userId, now), id, expectedVersion: version }).changes !== 1) {
        throw new Error(`Case ${data.caseNo} was not updated.`);
      }
      st.deleteLinks.run(id);
      for (const holderId of data.rightHolderIds) st.insertLink.run(id, holderId);
      fts.put({ caseId: id, caseNo: data.caseNo, goods: data.goodsDescription, holderNames: holderNames(data.rightHolderIds) });
      st.audit.run(now, userId, id, JSON.stringify({ ...before, version }), JSON.stringify({ ...after, version: version + 1 }));
    }

    deltas.flush(sqlite);
    return { ...reportOf(validation, true), caseNos };
  }).immediate();
}
