import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { partyOf, partyValues, PARTY_FIELDS, type CaseParty, type CaseValues } from "../lib/case-definition";
import { partyRoles, type PartyRole } from "../lib/enums";
import { partyKeyFromEnv } from "../lib/env";
import { decryptId, encryptId, hashId, maskIdNumber } from "../lib/parties";
import { first, type Engine } from "./engine";

// The parties of cases (issue 18): consignor, consignee and declarant/agent, one row of
// `parties` each however many cases name them (so that repeats can be linked), and one row of
// `case_parties` per case and role. The case stores (db/sqlite/case-store.ts,
// db/postgres/case-store.ts) write them in the writer's transaction with the helpers below.
//
// A natural person's identity number is personal information (PIPL): it is never stored in
// clear. `id_sealed` holds it encrypted (AES-256-GCM under PARTY_KEY, or a key made once and
// kept in app_meta), `id_hash` a keyed hash to match the same person across cases, and
// `id_masked` the form everyone but an admin sees (5301**********1234). The erasure
// (db/party-erasure.ts) clears all three after the admin's retention period.

const META_KEY = "party_key";

async function storedKey(e: Engine): Promise<string | undefined> {
  const { appMeta } = e.t;
  return (await first(e.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, META_KEY))))?.value;
}

/** The key that seals identity numbers: PARTY_KEY, or one made once and kept in the database. */
export async function partyKey(e: Engine): Promise<Buffer> {
  const fromEnv = partyKeyFromEnv();
  if (fromEnv) return fromEnv;
  let found = await storedKey(e);
  if (!found) {
    found = await e.transaction(async (tx) => {
      await tx.db.insert(tx.t.appMeta).values({ key: META_KEY, value: randomBytes(32).toString("base64") }).onConflictDoNothing();
      return (await storedKey(tx))!;
    });
  }
  return Buffer.from(found, "base64");
}

/** A party as its row of `parties` is written. */
export type SealedParty = {
  kind: CaseParty["kind"];
  name: string;
  code: string | null;
  address: string | null;
  idSealed: string | null;
  idHash: string | null;
  idMasked: string | null;
  matchKey: string;
};

const lower = (text: string | null) => (text ?? "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** A party as stored: a person's number sealed, hashed and masked (never in clear); its match key. */
export function sealParty(p: CaseParty, key: Buffer): SealedParty {
  if (p.kind === "person") {
    if (!p.code) return { ...p, code: null, idSealed: null, idHash: null, idMasked: null, matchKey: `n:person:${lower(p.name)}|${lower(p.address)}` };
    const idHash = hashId(p.code, key);
    return { kind: p.kind, name: p.name, code: null, address: p.address, idSealed: encryptId(p.code, key), idHash, idMasked: maskIdNumber(p.code), matchKey: `p:${idHash}` };
  }
  const matchKey = p.code ? `${p.kind === "enterprise" ? "e" : "f"}:${p.code}` : `n:${p.kind}:${lower(p.name)}|${lower(p.address)}`;
  return { ...p, idSealed: null, idHash: null, idMasked: null, matchKey };
}

/** The case's parties by role, sealed. */
export function sealedPartiesOf(values: CaseValues, key: Buffer): { role: PartyRole; party: SealedParty }[] {
  const out: { role: PartyRole; party: SealedParty }[] = [];
  for (const role of partyRoles.values) {
    const p = partyOf(values, role);
    if (p) out.push({ role, party: sealParty(p, key) });
  }
  return out;
}

/** The upsert of a party by its match key (both engines): its id back. A later case's name and address replace the earlier. */
export const UPSERT_PARTY = `insert into parties (kind, name, code, address, id_sealed, id_hash, id_masked, match_key, created_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  on conflict (match_key) do update set name = excluded.name, address = coalesce(excluded.address, parties.address)
  returning id`;

export const partyParams = (p: SealedParty, now: number) => [p.kind, p.name, p.code, p.address, p.idSealed, p.idHash, p.idMasked, p.matchKey, now];

/** A stored party row as the store reads it for a case. */
export type PartyRow = { role: PartyRole; kind: CaseParty["kind"]; name: string; code: string | null; address: string | null; idSealed: string | null };

/** SELECT of a case's parties (`$1`: the case id; SQLite's `?` is replaced by the store). */
export const CASE_PARTIES_SQL = `select cp.role, p.kind, p.name, p.code, p.address, p.id_sealed as "idSealed"
  from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = $1`;

/** A case's party fields from its rows, a person's number opened with the key (null once erased). */
export function partyFieldValues(rows: PartyRow[], key: Buffer | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const role of partyRoles.values) {
    const r = rows.find((x) => x.role === role);
    let code = r?.code ?? null;
    if (r?.kind === "person") code = r.idSealed && key ? openId(r.idSealed, key) : null;
    Object.assign(out, partyValues(role, r ? { kind: r.kind, name: r.name, code, address: r.address } : null));
  }
  return out;
}

function openId(sealed: string, key: Buffer): string | null {
  try {
    return decryptId(sealed, key);
  } catch {
    return null; // sealed under another key (a database copied without its PARTY_KEY): shown as erased, never as an error naming it
  }
}

/** Values as an audit entry holds them: a person's identity number masked, never in clear. */
export function auditSafe<T extends Record<string, unknown>>(values: T): T {
  let out: Record<string, unknown> | null = null;
  for (const role of partyRoles.values) {
    const kindKey = `${role}Kind`;
    const codeKey = `${role}Code`;
    if (values[kindKey] === "person" || (values[kindKey] === undefined && typeof values[codeKey] === "string")) {
      const code = values[codeKey];
      if (typeof code === "string" && code) (out ??= { ...values })[codeKey] = maskIdNumber(code);
    }
  }
  return (out ?? values) as T;
}

// ---- what a reader sees -----------------------------------------------------------------------

/** A party of a case as the case page shows it: a person's number masked unless `full` (an admin). */
export type ShownParty = { role: PartyRole; partyId: number; kind: CaseParty["kind"]; name: string; code: string | null; address: string | null; erased: boolean };

/** The parties of a case, for its page: a person's identity number masked, or in full for an admin. */
export async function casePartiesForDisplay(e: Engine, caseId: number, options: { full: boolean }): Promise<ShownParty[]> {
  const rows = await e.all<{ role: PartyRole; partyId: number; kind: CaseParty["kind"]; name: string; code: string | null; address: string | null; idSealed: string | null; idMasked: string | null; idErasedAt: unknown }>(
    sql`select cp.role, p.id as "partyId", p.kind, p.name, p.code, p.address, p.id_sealed as "idSealed", p.id_masked as "idMasked", p.id_erased_at as "idErasedAt"
      from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = ${caseId}`,
  );
  const key = options.full && rows.some((r) => r.idSealed) ? await partyKey(e) : null;
  const order = partyRoles.values as readonly string[];
  return rows
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role))
    .map((r) => ({
      role: r.role, partyId: Number(r.partyId), kind: r.kind, name: r.name, address: r.address,
      code: r.kind === "person" ? (key && r.idSealed ? (openId(r.idSealed, key) ?? r.idMasked) : r.idMasked) : r.code,
      erased: r.kind === "person" && r.idErasedAt !== null && r.idErasedAt !== undefined,
    }));
}

/** The names of the fields that are parts of a party (a member's redaction leaves them out of nothing: a member sees only its own cases). */
export const PARTY_FIELD_KEYS = PARTY_FIELDS.map((f) => f.key);
