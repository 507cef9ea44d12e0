// A member may see their own company's cases but never another right holder's name on them.
// The case's free text (goods description, notes) can name the other right holders of the
// case; for a member those names are blotted out. Pure: names in, text out.

export const REDACTED = "▇▇▇";

export type HolderNames = { name: string; nameZh: string | null };

/** The words that name a holder: its full names, and its brand (the first distinctive word). */
export function namesToRedact(holders: HolderNames[]): string[] {
  const out = new Set<string>();
  for (const h of holders) {
    out.add(h.name);
    if (h.nameZh) out.add(h.nameZh);
    const brand = h.name.replace(/^Maison\s+/i, "").split(/\s+/)[0];
    if (brand && brand.length >= 4) out.add(brand);
  }
  // longest first, so a full name goes before the brand inside it
  return [...out].sort((a, b) => b.length - a.length);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function redact(text: string | null, names: string[]): string | null {
  if (text === null || names.length === 0) return text;
  return redactor(names)(text);
}

/** The redaction of these names, compiled once, for many texts (the search index's rebuild). */
export function redactor(names: string[]): (text: string) => string {
  if (names.length === 0) return (text) => text;
  const pattern = new RegExp(names.map((n) => (/^\w/.test(n) ? `\\b${escape(n)}\\b` : escape(n))).join("|"), "gi");
  return (text) => text.replace(pattern, REDACTED);
}
