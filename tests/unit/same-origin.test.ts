import { describe, expect, it } from "vitest";
import { crossSite, sameOrigin } from "@/app/api/respond";

// The CSRF check of the state-changing route handlers: Origin (or Referer) must name the host.

const post = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/admin/import", { method: "POST", headers });
const base = { host: "127.0.0.1:3000", cookie: "better-auth.session_token=x" };

describe("sameOrigin", () => {
  it("accepts the tracker's own pages", () => {
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1:3000" }))).toBe(true);
    expect(sameOrigin(post({ ...base, origin: "https://127.0.0.1:3000" }))).toBe(true);
    expect(sameOrigin(post({ ...base, referer: "http://127.0.0.1:3000/admin/import?x=1" }))).toBe(true);
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }))).toBe(true);
  });

  it("compares hosts without regard to case", () => {
    expect(sameOrigin(post({ host: "Tracker.Example", cookie: "c=1", origin: "https://tracker.example" }))).toBe(true);
  });

  it("uses the forwarded host behind a reverse proxy", () => {
    const proxied = { host: "127.0.0.1:3000", "x-forwarded-host": "tracker.customs.example", cookie: "c=1" };
    expect(sameOrigin(post({ ...proxied, origin: "https://tracker.customs.example" }))).toBe(true);
    expect(sameOrigin(post({ ...proxied, origin: "http://127.0.0.1:3000" }))).toBe(false);
  });

  it("refuses another site, another port, a null origin and a lying Referer", () => {
    expect(sameOrigin(post({ ...base, origin: "https://evil.example" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1:4000" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "null" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "not a url" }))).toBe(false);
    expect(sameOrigin(post({ ...base, referer: "https://evil.example/http://127.0.0.1:3000/" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "https://evil.example", referer: "http://127.0.0.1:3000/" }))).toBe(false);
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1:3000.evil.example" }))).toBe(false);
  });

  it("refuses what the browser marks cross-site even with a matching Origin", () => {
    expect(sameOrigin(post({ ...base, origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
  });

  it("without Origin and Referer: refuses a request with cookies, lets one without through to the sign-in check", () => {
    expect(sameOrigin(post(base))).toBe(false);
    expect(sameOrigin(post({ host: base.host }))).toBe(true);
  });

  it("answers 403 cross_site", async () => {
    const response = crossSite();
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "cross_site" });
  });
});
