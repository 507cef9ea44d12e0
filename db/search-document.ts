import { namesToRedact, redactor, type HolderNames } from "../lib/redact";

// A case's search document as both engines index it (db/sqlite/search-index.ts FTS5,
// db/postgres/search-index.ts tsvectors): the right holders' names, and the goods text with
// every right holder's name of the case blotted out for a member's search.

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

