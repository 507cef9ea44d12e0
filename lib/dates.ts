// Dates as people type them. The form shows and the product stores YYYY-MM-DD; a Chinese
// user also writes 2025/3/14 or 2025年3月14日, and those mean the same day.

const SHAPES = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/,
];

/**
 * A typed date as YYYY-MM-DD, or null when it is not a date of the calendar in one of the
 * accepted shapes (2025-03-14, 2025-3-14, 2025/3/14, 2025.3.14, 2025年3月14日). Full-width
 * digits and separators count as their ASCII forms.
 */
export function parseDateInput(typed: string): string | null {
  const text = typed
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[／]/g, "/")
    .replace(/[－]/g, "-")
    .replace(/[．]/g, ".");
  for (const shape of SHAPES) {
    const m = shape.exec(text);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  return null;
}

/** What a date field sends on: the day as YYYY-MM-DD when it reads as one, else the text as typed (refused by the schema with its field named). */
export function normaliseDateInput(typed: string): string {
  return parseDateInput(typed) ?? typed.trim();
}
