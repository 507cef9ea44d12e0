// The parties of a case (consignor, consignee, declarant/agent) as codes: the unified social
// credit code of a Chinese enterprise (GB 32100-2015), a foreign enterprise's registration, and
// a natural person's identity number, which is personal information under China's PIPL: it is
// stored encrypted (AES-256-GCM) with a keyed hash for matching, and shown masked to everyone
// but admins (db/parties.ts holds the key; lib/parties.ts seals). This module has no Node
// dependency: the case form checks codes with it as they are typed.

/** GB 32100-2015's character set: digits and capitals without I, O, S, V, Z; each character's value is its index. */
export const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** The weights of positions 1–17: 3^(i−1) mod 31. */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character of a code's first 17 characters (null when one is outside the character set). */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARSET[check]!;
}

/** Why a unified social credit code is refused, or null when it is valid (spaces and case forgiven by the caller). */
export function usccProblem(code: string): "uscc_length" | "uscc_chars" | "uscc_check" | null {
  if (code.length !== 18) return "uscc_length";
  if (![...code].every((c) => USCC_CHARSET.includes(c))) return "uscc_chars";
  // positions 3–8 are an administrative division code: digits only
  if (!/^\d{6}$/.test(code.slice(2, 8))) return "uscc_chars";
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : "uscc_check";
}

export const isValidUscc = (code: string) => usccProblem(code) === null;

/** A code as typed, without spaces or dashes, in capitals. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s\-‐–—]/g, "").toUpperCase();
}

// ---- the resident identity number (GB 11643-1999) --------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = "10X98765432";

/** Whether an 18-character resident identity number's check character is right. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

/** The check character of an identity number's first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * A personal identity number as everyone but an admin sees it: the first four and the last
 * four characters, the rest starred (5301**********1234); a short number keeps only its last two.
 */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return "*".repeat(Math.max(0, id.length - 2)) + id.slice(-2);
  return id.slice(0, 4) + "*".repeat(id.length - 8) + id.slice(-4);
}

/** Whether a stored value is a masked identity number (never the number itself). */
export const isMasked = (text: string) => text.includes("*");

