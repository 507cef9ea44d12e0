import type { HolderNames } from "../../lib/redact";
import { codeOf, indexTokens, searchWords } from "../../lib/search";
import { holderIndexName, partiesIndexText, redactedGoods, type PartyIndexEntry } from "../search-document";

// The text search on PostgreSQL: the table cases_search (db/postgres/schema.ts) holds, per
// live case, the same documents as SQLite's cases_fts and cases_redacted_fts, as tsvectors
// written here, token by token (lib/search.ts indexTokens: unicode61's split and folding),
// so that PostgreSQL's own parser never splits a text differently from FTS5. Each column has
// its weight (A case number, B goods, C right-holder names, D parties; in the redacted
// document A case number, B goods, C parties) and its own positions, so that a phrase matches
// within one column, as FTS5's phrases do.

export type SearchSource = { caseId: number; caseNo: string; goods: string; holders: HolderNames[]; parties: PartyIndexEntry[] };

/** tsvector positions go up to 16,383; later tokens share the last one. */
const MAX_POSITION = 16_383;
/** PostgreSQL refuses lexemes longer than 2,047 bytes. */
const MAX_LEXEME_BYTES = 2_047;

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NOT_ALPHANUMERIC = /[^a-z0-9]+/;

// Goods texts, right-holder names and lexemes repeat across cases (a seed of a million cases
// has a few tens of thousands of goods texts): their tokens and quoted forms are kept, a
// bounded number of them. Printable ASCII is split directly: for it indexTokens'
// normalisations change nothing and it splits on anything but a-z and 0-9, after lower-casing.
const keptTokens = new Map<string, string[]>();
const keptQuoted = new Map<string, string>();

function split(text: string): string[] {
  return PRINTABLE_ASCII.test(text) ? text.toLowerCase().split(NOT_ALPHANUMERIC).filter(Boolean) : indexTokens(text);
}

function tokensOf(text: string, keep: boolean): string[] {
  if (!keep) return split(text);
  let found = keptTokens.get(text);
  if (!found) {
    if (keptTokens.size >= 100_000) keptTokens.clear();
    keptTokens.set(text, (found = split(text)));
  }
  return found;
}

function quotedOf(lexeme: string): string {
  let found = keptQuoted.get(lexeme);
  if (found === undefined) {
    if (keptQuoted.size >= 100_000) keptQuoted.clear();
    keptQuoted.set(lexeme, (found = quote(lexeme)));
  }
  return found;
}

/** A tsvector literal of weighted columns: each column's tokens at consecutive positions (the first column's text is not kept: a case number). */
function vector(columns: [weight: "A" | "B" | "C" | "D", text: string][]): string {
  const positions = new Map<string, string>();
  let position = 0;
  for (let c = 0; c < columns.length; c++) {
    const [weight, text] = columns[c]!;
    for (const token of tokensOf(text, c > 0)) {
      position = Math.min(position + 1, MAX_POSITION);
      if (token.length * 3 > MAX_LEXEME_BYTES && Buffer.byteLength(token) > MAX_LEXEME_BYTES) continue;
      const list = positions.get(token);
      positions.set(token, list === undefined ? `${position}${weight}` : `${list},${position}${weight}`);
    }
  }
  let out = "";
  for (const [lexeme, at] of positions) out += (out ? " " : "") + quotedOf(lexeme) + ":" + at;
  return out;
}

/** A case's two documents: `doc` for staff, `redactedDoc` for members (no right holder's name in its goods). */
export function searchVectors(source: SearchSource): { doc: string; redactedDoc: string } {
  const parties = partiesIndexText(source.parties);
  return {
    doc: vector([
      ["A", source.caseNo],
      ["B", source.goods],
      ["C", source.holders.map(holderIndexName).join(" ; ")],
      ["D", parties],
    ]),
    redactedDoc: vector([
      ["A", source.caseNo],
      ["B", redactedGoods(source.goods, source.holders)],
      ["C", redactedGoods(parties, source.holders)],
    ]),
  };
}

/**
 * A user's words as a tsquery with FTS5's meaning (lib/search.ts toMatchExpression): every
 * word must match; a word is a phrase of its tokens inside one column, its last token a
 * prefix; or the whole query is a party's code (`code`, lib/search.ts codeOf). Null when the
 * query holds no searchable token.
 */
export function toTsQuery(query: string, index: "doc" | "redacted_doc", code: string | null = codeOf(query)): string | null {
  const weights = index === "doc" ? ["A", "B", "C", "D"] : ["A", "B", "C"];
  const words = searchWords(query).map((parts) => parts.flatMap((p) => indexTokens(p)));
  const phrases = words
    .filter((tokens) => tokens.length > 0)
    .map((tokens) => `(${weights.map((w) => tokens.map((t, i) => `${quote(t)}:${i === tokens.length - 1 ? "*" : ""}${w}`).join(" <-> ")).join(" | ")})`);
  const all = phrases.length ? phrases.join(" & ") : null;
  // a party's code typed with spaces or hyphens (lib/search.ts codeOf): the whole token, in the parties' column
  if (!code) return all;
  const exact = `${quote(code)}:${index === "doc" ? "D" : "C"}`;
  return all ? `(${all}) | ${exact}` : exact;
}
