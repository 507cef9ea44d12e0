import { createHmac, timingSafeEqual } from "node:crypto";

// Values signed with the app's secret (HMAC-SHA256), in the format better-auth gives its
// session cookie: "<value>.<base64 signature>". Used to tell a session cookie the server
// issued from a made-up one without a database read (proxy.ts), and for the device cookie
// of the sign-in throttle (db/auth.ts).

const signature = (value: string, secret: string) => createHmac("sha256", secret).update(value).digest("base64");

/** "<value>.<signature>" */
export function signValue(value: string, secret: string): string {
  return `${value}.${signature(value, secret)}`;
}

/** The value of a signed "<value>.<signature>", or null when the signature is not the secret's. */
export function verifySigned(signed: string | null | undefined, secret: string): string | null {
  if (!signed) return null;
  const at = signed.lastIndexOf(".");
  if (at < 1) return null;
  const value = signed.slice(0, at);
  // the signature's exact text (base64 decoding would forgive a missing "=" or stray bits)
  const given = Buffer.from(signed.slice(at + 1));
  const expected = Buffer.from(signature(value, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
