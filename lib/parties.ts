import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

// A natural person's identity number sealed (AES-256-GCM) and hashed for matching; the codes'
// checks and masking are lib/party-codes.ts (re-exported here).

export * from "./party-codes";

// ---- protection -----------------------------------------------------------------------

/** AES-256-GCM under `key` (32 bytes): iv.tag.ciphertext, base64url. */
export function encryptId(id: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(id, "utf8"), cipher.final()]);
  return `${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
}

export function decryptId(sealed: string, key: Buffer): string {
  const [iv, tag, body] = sealed.split(".");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
  decipher.setAuthTag(Buffer.from(tag ?? "", "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body ?? "", "base64url")), decipher.final()]).toString("utf8");
}

/** A keyed hash of an identity number: the same person matches across cases without the number being stored in clear. */
export function hashId(id: string, key: Buffer): string {
  return createHmac("sha256", key).update(`party-id:${id}`).digest("base64url");
}
