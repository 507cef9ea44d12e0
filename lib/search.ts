// Text search over case numbers, goods descriptions and right-holder names, in English and
// Chinese. The index tokenizer (unicode61) splits on anything that is not a letter or digit
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

/**
 * A user's words → an FTS5 MATCH expression: every word must match, each word is a phrase
 * of its tokens ("8600-2016-0012" → "8600 2016 0012"), and the last token of each word
 * matches as a prefix. Returns null when the query holds no searchable token.
 */
export function toMatchExpression(query: string): string | null {
  const words = query.normalize("NFKC").split(/\s+/).filter(Boolean);
  const phrases: string[] = [];
  for (const word of words) {
    const parts = tokens(word);
    if (parts.length === 0) continue;
    phrases.push(`"${parts.join(" ").replace(/"/g, '""')}"*`);
  }
  return phrases.length ? phrases.join(" AND ") : null;
}
