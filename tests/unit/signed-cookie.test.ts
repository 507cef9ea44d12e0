import { afterAll, describe, expect, it } from "vitest";
import { DEVICE_COOKIE, deviceOf, deviceSetCookie, newDeviceCookie, SIGN_IN_FREE_FAILURES, signInKeys } from "@/db/auth";
import { signValue, verifySigned } from "@/lib/signed-cookie";
import { sqliteEngine } from "@/db/engine";
import { freshDb } from "../support/db";

// Signed cookie values (the proxy's check of the session cookie, the sign-in throttle's device
// cookie): only the server's secret makes a signature that verifies.

describe("signValue / verifySigned", () => {
  const secret = "s3cret-for-the-test";
  it("gives back the value of what it signed, in better-auth's format", () => {
    const signed = signValue("SrUNeoNT911JOOOcSH42nHnkyLS6UK9c", secret);
    expect(signed).toMatch(/^SrUNeoNT911JOOOcSH42nHnkyLS6UK9c\.[A-Za-z0-9+/]{43}=$/);
    expect(verifySigned(signed, secret)).toBe("SrUNeoNT911JOOOcSH42nHnkyLS6UK9c");
    expect(verifySigned(signValue("a.b.c", secret), secret)).toBe("a.b.c");
  });

  it("refuses another secret, a changed value or signature, and no signature at all", () => {
    const signed = signValue("token", secret);
    expect(verifySigned(signed, "another-secret")).toBeNull();
    expect(verifySigned(signed.replace("token", "tokem"), secret)).toBeNull();
    expect(verifySigned(`${signed.slice(0, -3)}AA=`, secret)).toBeNull();
    expect(verifySigned(signed.slice(0, -1), secret)).toBeNull();
    for (const junk of ["x", "", ".", "token.", ".abc", null, undefined]) expect(verifySigned(junk, secret)).toBeNull();
  });
});

describe("device cookies of the sign-in throttle", () => {
  const { db: sqliteDb, close } = freshDb("device-cookie");
  const db = sqliteEngine(sqliteDb);
  afterAll(close);
  const withCookie = (value: string, xff = "198.51.100.1") => new Headers({ cookie: `other=1; ${DEVICE_COOKIE}=${encodeURIComponent(value)}`, "x-forwarded-for": xff });

  it("names its account: valid for that email only (in any case)", async () => {
    const value = await newDeviceCookie(db, "Owner@Example.org");
    const device = await deviceOf(db, "owner@example.org", withCookie(value));
    expect(device).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await deviceOf(db, " OWNER@example.org ", withCookie(value))).toBe(device);
    expect(await deviceOf(db, "someone@example.org", withCookie(value))).toBeNull();
    expect(await deviceOf(db, "owner@example.org", new Headers())).toBeNull();
    expect(await deviceOf(db, "owner@example.org", withCookie(value.replace(/^.{4}/, "AAAA")))).toBeNull();
    expect(await deviceOf(db, "owner@example.org", withCookie(signValue(value.split(".")[0]!, "not-the-secret")))).toBeNull();
  });

  it("counts a sign-in with one under its device, without one under the account", async () => {
    const value = await newDeviceCookie(db, "owner@example.org");
    const device = await deviceOf(db, "owner@example.org", withCookie(value));
    expect(await signInKeys(db, "owner@example.org", withCookie(value))).toEqual([[`device:${device}`, SIGN_IN_FREE_FAILURES.email], ["client:198.51.100.1", SIGN_IN_FREE_FAILURES.client]]);
    expect(await signInKeys(db, "Owner@example.org", new Headers({ "x-forwarded-for": "198.51.100.2" }))).toEqual([["email:owner@example.org", SIGN_IN_FREE_FAILURES.email], ["client:198.51.100.2", SIGN_IN_FREE_FAILURES.client]]);
  });

  it("is set http-only, SameSite=Lax, for a year", () => {
    const header = deviceSetCookie("v.s=");
    expect(header).toBe(`${DEVICE_COOKIE}=v.s%3D; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`);
  });
});
