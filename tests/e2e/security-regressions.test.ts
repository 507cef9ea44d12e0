import net from "node:net";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createAccount, createAuth, SIGN_IN_FREE_FAILURES } from "../../db/auth";
import { sqliteEngine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";
import { xlsxZipBomb } from "../support/zip-bomb";
import { baseURL, launchBrowser, sqlGet, sessionCookie } from "./support";

// Items 5, 6 and 7 of issue 13, each over real HTTP against the production server:
//  5. no case number (or company name) reaches anyone through a page or its <title> before the
//     session and role are checked, and the proxy takes no unsigned cookie for a session;
//  6. no redirect leaves the site: not the login page's `next`, not better-auth's callbacks;
//  7. no 500 for a control character in `next`; a 414 for an over-long address; a zip bomb
//     refused before it is unpacked; API answers never cached; 50 MB imports; and a stranger's
//     failed guesses never lock the owner's own browser out (device cookies).

const sql = sqlGet;

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${baseURL()}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers }, redirect: "manual" });

/** A cookie shaped like a real session cookie, signed with a secret that is not the server's. */
const WRONG_SIGNATURE = "better-auth.session_token=SrUNeoNT911JOOOcSH42nHnkyLS6UK9c.PIeoOjdS2vvTQ772NAO%2B8X%2BkqxYxzfBnrlaClFsnUKs%3D";

const titleOf = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1] ?? "";

let anyCase: { id: number; caseNo: string };
let memberHolder: number;
let otherCase: { id: number; caseNo: string };
let otherHolder: { id: number; name: string };

beforeAll(() => {
  anyCase = sql("select id, case_no as caseNo from cases where deleted_at is null order by id limit 1 offset 7");
  memberHolder = sql<{ holderId: number }>("select holder_id as holderId from user where email = 'member@demo.test'").holderId;
  // a case that does not name the member's company, and a company that is not the member's
  otherCase = sql(
    `select id, case_no as caseNo from cases c where deleted_at is null
       and not exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ?) order by id limit 1 offset 3`,
    memberHolder,
  );
  otherHolder = sql("select id, name from right_holders where id <> ? order by id limit 1 offset 2", memberHolder);
});

describe("5. auth before any data: titles, pages and the proxy's gate", () => {
  const pages = () => [`/cases/${anyCase.id}/edit`, `/cases/${anyCase.id}`, "/", "/cases", `/right-holders/${otherHolder.id}`, "/districts/8600", "/admin", "/account"];

  for (const [what, cookie] of [
    ["an unsigned cookie (session_token=x)", "better-auth.session_token=x"],
    ["a cookie signed with another secret", WRONG_SIGNATURE],
    ["the secure-prefixed name with junk", "__Secure-better-auth.session_token=abc.def"],
  ] as const) {
    it(`${what} is no session: every page redirects to /login, naming no case or company`, async () => {
      for (const path of pages()) {
        const response = await get(path, cookie);
        expect(response.status, path).toBe(307);
        const location = new URL(response.headers.get("location")!, baseURL());
        expect(location.pathname, path).toBe("/login");
        expect(location.searchParams.get("next"), path).toBe(path === "/" ? null : path);
        const body = await response.text();
        expect(body, path).not.toContain(anyCase.caseNo);
        expect(body, path).not.toContain(otherHolder.name);
      }
    });
  }

  it("a genuine but ended session (signed out) reaches the page, which names no case in its title or body", async () => {
    const signIn = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL(), "x-forwarded-for": "192.0.2.130" },
      body: JSON.stringify({ email: "admin@demo.test", password: "demo-password" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
    const out = await fetch(`${baseURL()}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: baseURL(), "content-type": "application/json" }, body: "{}" });
    expect(out.status).toBe(200);
    for (const path of [`/cases/${anyCase.id}/edit`, `/cases/${anyCase.id}`]) {
      const response = await get(path, cookie);
      const body = await response.text();
      // the page redirects to /login (a 307, or in a streamed page Next's redirect instruction)
      expect(response.status === 307 || body.includes("NEXT_REDIRECT"), path).toBe(true);
      expect(titleOf(body), path).not.toContain(anyCase.caseNo);
      expect(body, path).not.toContain(anyCase.caseNo);
    }
  });

  it("an analyst, who may not edit, gets 403 from the edit page with no case number in it", async () => {
    const response = await get(`/cases/${anyCase.id}/edit`, await sessionCookie("analyst"));
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(titleOf(body)).not.toContain(anyCase.caseNo);
    expect(body).not.toContain(anyCase.caseNo);
  });

  it("a member's titles name neither another company's case nor another company", async () => {
    const member = await sessionCookie("member");
    for (const path of [`/cases/${otherCase.id}`, `/cases/${otherCase.id}/edit`]) {
      const response = await get(path, member);
      expect([403, 404], path).toContain(response.status);
      const body = await response.text();
      expect(titleOf(body), path).not.toContain(otherCase.caseNo);
      expect(body, path).not.toContain(otherCase.caseNo);
    }
    const holderPage = await get(`/right-holders/${otherHolder.id}`, member);
    expect(titleOf(await holderPage.text())).not.toContain(otherHolder.name);
  });

  it("the admin, who may edit, sees the case number in the edit page's title", async () => {
    const response = await get(`/cases/${anyCase.id}/edit`, await sessionCookie("admin"));
    expect(response.status).toBe(200);
    expect(titleOf(await response.text())).toContain(anyCase.caseNo);
  });
});

describe("6. redirects stay on the site", () => {
  const EVIL = [
    "/%09/evil.example", "/\t/evil.example", "//evil.example", "/%2F%2Fevil.example", "/\\evil.example", "/%5C%5Cevil.example",
    "https://evil.example/", "/%0d%0a/evil.example", "/%E3%80%80/evil.example", "/.//evil.example", "/%C2%A0//evil.example",
  ];
  it("the login page sends a signed-in user only to a path of this site", async () => {
    const cookie = await sessionCookie("analyst");
    for (const next of EVIL) {
      const response = await get(`/login?next=${encodeURIComponent(next)}`, cookie);
      expect(response.status, next).toBe(307);
      const location = new URL(response.headers.get("location")!, baseURL());
      expect(location.origin, next).toBe(baseURL());
      expect(location.pathname, next).toBe("/");
    }
    // the raw tab as the issue sent it (not encoded twice)
    const raw = await get("/login?next=/%09/evil.example", cookie);
    expect(new URL(raw.headers.get("location")!, baseURL()).href).toBe(`${baseURL()}/`);
    // and a real path still comes back, query and all
    const own = await get(`/login?next=${encodeURIComponent("/cases?type=copyright&q=a b")}`, cookie);
    expect(new URL(own.headers.get("location")!, baseURL()).href).toBe(`${baseURL()}/cases?type=copyright&q=a%20b`);
  });

  it("better-auth's GET endpoints do not redirect to another site", async () => {
    for (const callback of ["https://evil.example/phish", "http://evil.example/", "//evil.example/phish", "https://127.0.0.1.evil.example/"]) {
      const response = await get(`/api/auth/reset-password/abc?callbackURL=${encodeURIComponent(callback)}`);
      const location = response.headers.get("location");
      if (location) expect(new URL(location, baseURL()).origin, callback).toBe(baseURL());
      expect(response.status, callback).toBeGreaterThanOrEqual(400);
    }
  });

  it("a callback to the site itself still works, at the host the client asked for", async () => {
    const response = await get(`/api/auth/reset-password/abc?callbackURL=${encodeURIComponent("/login")}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, baseURL());
    expect(location.origin).toBe(baseURL());
    expect(location.pathname).toBe("/login");
  });

  it("a sign-in with a foreign callbackURL is refused", async () => {
    const response = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL(), "x-forwarded-for": "192.0.2.131" },
      body: JSON.stringify({ email: "analyst@demo.test", password: "demo-password", callbackURL: "https://evil.example/" }),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });
});

/** Sends one raw request and reads until the server closes the connection (or `ms` pass). */
function rawRequest(target: string, ms = 20_000): Promise<{ head: string; closed: boolean }> {
  const { hostname, port } = new URL(baseURL());
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ head: data, closed: false });
    }, ms);
    socket.on("connect", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`));
    socket.on("data", (d) => (data += d));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ head: data, closed: true });
    });
  });
}

describe("7. smaller holes", () => {
  it("a control character or a wide space in `next` is no 500 for a signed-in user", async () => {
    const cookie = await sessionCookie("analyst");
    for (const next of ["/%0a/x", "/%0d/x", "/%E3%80%80", "/%0a%0dSet-Cookie:x=1", "/%00"]) {
      const response = await get(`/login?next=${next}`, cookie);
      expect(response.status, next).toBe(307);
      expect(response.headers.get("location"), next).toBe("/");
      expect(response.headers.get("set-cookie") ?? "", next).not.toContain("x=1");
    }
  });

  it("an address over 8 KB is answered 414 at once, and its connection closed", async () => {
    for (const target of [`/api/health?x=${"a".repeat(9 * 1024)}`, `/cases?q=${"a".repeat(12 * 1024)}`, `/${"b".repeat(15 * 1024)}`]) {
      const { head, closed } = await rawRequest(target);
      expect(head.split("\r\n")[0], target.slice(0, 20)).toBe("HTTP/1.1 414 URI Too Long");
      expect(head, target.slice(0, 20)).toMatch(/longer than 8 KB/);
      expect(closed, "the server closed the connection").toBe(true);
    }
    // just under the limit: served as usual
    const fine = await get(`/api/health?x=${"a".repeat(7 * 1024)}`);
    expect(fine.status).toBe(200);
  });

  it("API answers with case data are never cached", async () => {
    const analyst = await sessionCookie("analyst");
    for (const path of ["/api/cases?pageSize=1", "/api/stats", `/api/cases/${anyCase.id}`, "/api/cases/export?format=csv&to=2012-01-31", "/api/cases?size=oops", "/api/cases/999999999"]) {
      const response = await get(path, analyst);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      await response.body?.cancel();
    }
    expect((await get("/api/cases")).headers.get("cache-control")).toBe("private, no-store");
  });

  describe("imports", () => {
    async function upload(file: Blob, name: string): Promise<Response> {
      const form = new FormData();
      form.set("file", file, name);
      return fetch(`${baseURL()}/api/admin/import?mode=dry-run`, { method: "POST", headers: { cookie: await sessionCookie("admin"), origin: baseURL() }, body: form });
    }

    it("a 12 MB file is read and checked (not cut off as invalid_body), and the answer is not cached", async () => {
      const header = (await (await get("/api/admin/import/template?format=csv&locale=en", await sessionCookie("admin"))).text()).split(/\r?\n/)[0]!;
      const columns = header.split(",").length;
      // one row whose notes fill the file: refused for its content, row by row, not for its size
      const csv = `${header}\r\n${Array(columns - 1).fill("x").join(",")},${"n".repeat(12 * 1024 * 1024)}\r\n`;
      const response = await upload(new Blob([csv]), "big.csv");
      const body = (await response.json()) as { error?: string; mode?: string; fileName?: string };
      expect(body.error).toBeUndefined();
      expect(response.status).toBe(200);
      expect(body.mode).toBe("dry-run");
      expect(body.fileName).toBe("big.csv");
      expect(response.headers.get("cache-control")).toMatch(/no-store/);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    });

    it("a 51 MB file is refused as too large, with the limit in the message", async () => {
      const response = await upload(new Blob([new Uint8Array(51 * 1024 * 1024).fill(0x61)]), "huge.csv");
      expect(response.status).toBe(413);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("too_large");
      expect(body.message).toMatch(/the limit is 50\.0 MB/);
    });

    it("a zip bomb (an XLSX of under 1 MB unpacking to 2 GB) is refused before it is unpacked", async () => {
      const bomb = await xlsxZipBomb(2048, 1);
      expect(bomb.byteLength).toBeLessThan(3 * 1024 * 1024);
      const response = await upload(new Blob([new Uint8Array(bomb)]), "bomb.xlsx");
      expect(response.status).toBe(413);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("too_large_unpacked");
      expect(body.message).toMatch(/unpacks to more than 200 MB/);
      // the server is still there and serving
      expect((await get("/api/health")).status).toBe(200);
    });
  });

  describe("sign-in lock-out and device cookies", () => {
    const email = "lockout-owner@demo.test";
    const password = "owner-password-1";
    let ownerDevice: string;

    beforeAll(async () => {
      const sqlite = new Database(inject("databaseFile"));
      sqlite.pragma("busy_timeout = 5000");
      const db = drizzleOf(sqlite);
      await createAccount(sqliteEngine(db), await createAuth(sqliteEngine(db)), { email, name: "Lock-out Owner", role: "analyst", holderId: null, password });
      sqlite.close();
    });

    const signIn = (pass: string, from: string, cookie?: string) =>
      fetch(`${baseURL()}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseURL(), "x-forwarded-for": from, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ email, password: pass }),
      });

    /** Fails from strangers' addresses until the account is locked for clients without a device cookie. */
    async function lockAccount(): Promise<void> {
      for (let i = 0; i < 3 * SIGN_IN_FREE_FAILURES.email; i++) {
        if ((await signIn("wrong-password-2", `203.0.113.${120 + i}`)).status === 429) return;
      }
      throw new Error("the account did not lock");
    }

    it("a successful sign-in leaves a signed, http-only device cookie", async () => {
      const response = await signIn(password, "198.51.100.10");
      expect(response.status).toBe(200);
      const set = response.headers.getSetCookie().find((c) => c.startsWith("ipr.device="));
      expect(set).toMatch(/; HttpOnly/);
      expect(set).toMatch(/; SameSite=Lax/);
      ownerDevice = set!.split(";")[0]!;
    });

    it("a stranger's failed guesses lock the account for clients without the owner's device cookie, not for the owner", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_FREE_FAILURES.email; i++) statuses.push((await signIn("wrong-password-0", `203.0.113.${20 + i}`)).status);
      expect(statuses).toEqual(Array(SIGN_IN_FREE_FAILURES.email).fill(401));
      // now locked for anyone without a device cookie, even with the right password, from anywhere
      const stranger = await signIn(password, "203.0.113.99");
      expect(stranger.status).toBe(429);
      expect(stranger.headers.get("retry-after")).toMatch(/^\d+$/);
      // a device cookie of another account, or a tampered one, does not open it
      const otherAccount = (await signInWithCookie("analyst@demo.test", "demo-password"))!;
      expect((await signIn(password, "203.0.113.98", otherAccount)).status).toBe(429);
      const tampered = ownerDevice.slice(0, -8) + (ownerDevice.at(-8) === "B" ? "C" : "B") + ownerDevice.slice(-7);
      expect((await signIn(password, "203.0.113.97", tampered)).status).toBe(429);
      // the owner's browser, with its device cookie, signs in (from its own address or another)
      expect((await signIn(password, "198.51.100.10", ownerDevice)).status).toBe(200);
      expect((await signIn(password, "198.51.100.11", ownerDevice)).status).toBe(200);
    });

    it("the login page's sign-in (a server action) leaves the device cookie too, and it opens the locked account", async () => {
      const browser = await launchBrowser();
      try {
        const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "x-forwarded-for": "198.51.100.20" } });
        const page = await context.newPage();
        // the account is locked for clients without a device cookie (again, should the wait have passed)
        await lockAccount();
        expect((await signIn(password, "198.51.100.21")).status).toBe(429);
        await context.addCookies([{ ...cookieParts(ownerDevice), url: baseURL() }]);
        await page.goto(`${baseURL()}/login?next=${encodeURIComponent("/account")}`);
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => url.pathname === "/account");
        const device = (await context.cookies()).find((c) => c.name === "ipr.device");
        expect(device?.httpOnly).toBe(true);
        expect(device?.sameSite).toBe("Lax");
        expect(`ipr.device=${device?.value}`).not.toBe(ownerDevice);
      } finally {
        await browser.close();
      }
    });

    it("the owner's device has its own counter: its failures slow only that device down", async () => {
      for (let i = 0; i < SIGN_IN_FREE_FAILURES.email; i++) expect((await signIn("wrong-password-1", "198.51.100.12", ownerDevice)).status).toBe(401);
      expect((await signIn(password, "198.51.100.12", ownerDevice)).status).toBe(429);
    });
  });
});

const cookieParts = (cookie: string) => ({ name: cookie.slice(0, cookie.indexOf("=")), value: cookie.slice(cookie.indexOf("=") + 1) });

/** The device cookie a successful sign-in of `email` leaves ("ipr.device=…"). */
async function signInWithCookie(email: string, password: string): Promise<string | undefined> {
  const response = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL(), "x-forwarded-for": "192.0.2.132" },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie().find((c) => c.startsWith("ipr.device="))?.split(";")[0];
}
