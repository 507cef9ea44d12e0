// Text search over case numbers, goods descriptions, right-holder names and the parties'
// names and enterprise codes, in English and Chinese. The index tokenizer (unicode61) splits on anything that is not a letter or digit
// but would keep a run of Han characters as one token; so Han characters are spaced out
// before indexing and querying, and a Chinese query matches as a phrase of characters.

const HAN = /(\p{Script=Han})/gu;

/** Text as it is stored in the search index. */
export function toIndexText(text: string): string {
  return text.normalize("NFKC").replace(HAN, " $1 ").replace(/\s+/g, " ").trim();
}

function tokens(term: string): string[] {
  return toIndexText(term)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Tokens as the index compares them (unicode61 with remove_diacritics 2: "Hermès" → "hermes"). */
function foldedTokens(term: string): string[] {
  return tokens(term.normalize("NFKD").replace(/\p{M}+/gu, "").normalize("NFKC"));
}

/**
 * The tokens of a text as the search index holds them, in order: toIndexText's output split
 * as unicode61 splits it, lower case, diacritics removed (remove_diacritics 2). The
 * PostgreSQL index (db/postgres/search-index.ts) stores exactly these.
 */
export function indexTokens(text: string): string[] {
  return foldedTokens(text);
}

/** A user's words, each as the tokens of its phrase; words without a searchable token are left out. */
export function searchWords(query: string): string[][] {
  return query.normalize("NFKC").split(/\s+/).filter(Boolean).map(tokens).filter((parts) => parts.length > 0);
}

/** One word as an FTS5 phrase whose last token matches as a prefix. */
export function phraseOf(parts: string[]): string {
  return `"${parts.join(" ").replace(/"/g, '""')}"*`;
}

/** Whether a word (its tokens) matches inside a text the way the index would match its phrase. */
export function phraseMatches(parts: string[], text: string): boolean {
  const words = foldedTokens(text);
  const want = parts.map((p) => foldedTokens(p).join(" ")).join(" ").split(" ").filter(Boolean);
  if (!want.length) return false;
  for (let i = 0; i + want.length <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < want.length && ok; j++) {
      ok = j === want.length - 1 ? words[i + j]!.startsWith(want[j]!) : words[i + j] === want[j];
    }
    if (ok) return true;
  }
  return false;
}

/**
 * A user's words → an FTS5 MATCH expression: every word must match, each word is a phrase
 * of its tokens ("8600-2016-0012" → "8600 2016 0012"), and the last token of each word
 * matches as a prefix. Returns null when the query holds no searchable token.
 */
export function toMatchExpression(query: string): string | null {
  return withCode(searchWords(query).map(phraseOf).join(" AND ") || null, codeOf(query), "parties");
}

/**
 * The query as a party's code (issue 18), typed with spaces, hyphens or in any case
 * ("9131 0000-ma1f…" → "91310000ma1f…"), when it is one run of letters and digits (at least
 * one digit, at least 6 characters) once those are dropped and holds more than one token (a single token already matches the
 * code as a word does); else null. The documents hold each code as one token
 * (db/search-document.ts codeIndexToken), so the code matches whole, never by a part of it.
 */
export function codeOf(query: string): string | null {
  const text = query.normalize("NFKC");
  if (CASE_NO.test(text.trim())) return null; // a case number is searched as one, never as a code
  const compact = text.replace(/[\s\-‐–—]+/g, "").toLowerCase();
  if (compact.length < 6 || !/^[a-z0-9]+$/.test(compact) || !/[0-9]/.test(compact)) return null;
  return tokens(text).length > 1 ? compact : null;
}

const CASE_NO = /^\d{4}-\d{4}-\d+$/;

/** An FTS5 expression that also matches the documents whose `column` holds the code token. */
export function withCode(expression: string | null, code: string | null, column: string): string | null {
  if (!code) return expression;
  const exact = `${column} : "${code}"`;
  return expression ? `(${expression}) OR (${exact})` : exact;
}
