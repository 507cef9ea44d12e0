import { partyOf, type CaseInput, type CaseValues } from "../lib/case-definition";
import { partyRoles } from "../lib/enums";
import { namesToRedact, redactor, type HolderNames } from "../lib/redact";

// A case's search document as both engines index it (db/sqlite/search-index.ts FTS5,
// db/postgres/search-index.ts tsvectors): the right holders' names, the parties' names and
// enterprise codes, and the goods text and parties with every right holder's name of the case
// blotted out for a member's search.

// each right holder's redaction, compiled once (compiling one per case was most of the cost
// of filling the index)
type Redaction = { needles: string[]; apply: (text: string) => string };
const redactors = new Map<string, Redaction>();

function redactorOf(holder: HolderNames): Redaction {
  const key = `${holder.name}\u0000${holder.nameZh ?? ""}`;
  let found = redactors.get(key);
  if (!found) {
    if (redactors.size >= 10_000) redactors.clear();
    const names = namesToRedact([holder]);
    found = { needles: names.map((n) => n.toLowerCase()), apply: redactor(names) };
    redactors.set(key, found);
  }
  return found;
}

/**
 * Goods text as a member's search sees it: no right holder's name of the case in it. The
 * holders with the longest names go first, so that a name containing another holder's brand
 * is blotted out whole, as one pattern of all their names would.
 */
export function redactedGoods(goods: string, holders: HolderNames[]): string {
  const lower = goods.toLowerCase();
  // most goods texts name one holder at most: a plain substring test skips the others' patterns
  const named = holders.filter((h) => redactorOf(h).needles.some((n) => lower.includes(n)));
  if (!named.length) return goods;
  const longest = (h: HolderNames) => Math.max(h.name.length, h.nameZh?.length ?? 0);
  let text = goods;
  for (const h of named.sort((a, b) => longest(b) - longest(a))) text = redactorOf(h).apply(text);
  return text;
}

/** A right holder's names as a case's search document holds them. */
export function holderIndexName(h: HolderNames): string {
  return `${h.name} ${h.nameZh ?? ""}`;
}


// ---- the parties (issue 18) -----------------------------------------------------------------

/** A party of a case as its search document holds it: the name, and an enterprise's code (never a person's number). */
export type PartyIndexEntry = { role: string; kind: string; name: string; code: string | null };

const ROLE_ORDER: readonly string[] = partyRoles.values;

/** A code as one token of letters and digits (as a query's code is compared: lib/search.ts codeOf). */
export function codeIndexToken(code: string): string {
  return code.normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * The parties' column of a case's search document: each party's name and, for an enterprise
 * or a foreign registration, its code as one token, in role order. A natural person's
 * identity number (its clear, masked or hashed form) never enters it: only the name.
 */
export function partiesIndexText(parties: readonly PartyIndexEntry[]): string {
  return [...parties]
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
    .map((p) => (p.kind !== "person" && p.code ? `${p.name} ${codeIndexToken(p.code)}` : p.name))
    .join(" ; ");
}

/**
 * The parties of cases as their documents are written from the database (both engines):
 * `case_id, role, kind, name, code` — a person's code column is always null (db/parties.ts).
 */
export const CASE_PARTY_INDEX_SQL = `select cp.case_id as "caseId", cp.role, p.kind, p.name, case when p.kind = 'person' then null else p.code end as code
  from case_parties cp join parties p on p.id = cp.party_id`;

/** Rows of CASE_PARTY_INDEX_SQL grouped by case. */
export function groupParties(rows: Iterable<PartyIndexEntry & { caseId: number }>): Map<number, PartyIndexEntry[]> {
  const out = new Map<number, PartyIndexEntry[]>();
  for (const r of rows) {
    const id = Number(r.caseId);
    const entry = { role: r.role, kind: r.kind, name: r.name, code: r.code };
    const list = out.get(id);
    if (list) list.push(entry);
    else out.set(id, [entry]);
  }
  return out;
}

/** A case's parties as its values name them (the writer's documents), a person's number left out. */
export function partiesOfValues(values: CaseValues | CaseInput): PartyIndexEntry[] {
  const out: PartyIndexEntry[] = [];
  for (const role of partyRoles.values) {
    const p = partyOf(values, role);
    if (p) out.push({ role, kind: p.kind, name: p.name, code: p.kind === "person" ? null : p.code });
  }
  return out;
}
