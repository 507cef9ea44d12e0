import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { servedNotice } from "./notice-fixtures";
import { ensureRecordationFixtures, type RecordationFixtures } from "./recordation-fixtures";
import { baseURL, openTestDatabase, sessionCookie, type DemoRole } from "./support";

// The authorisation matrix over real HTTP against the started server: every page, route
// handler, API route and server action, for anonymous / member / analyst / admin.

type Who = "anonymous" | DemoRole;
const WHO: Who[] = ["anonymous", "member", "analyst", "admin"];
/** Expected answer: a status, "login" (307 to /login?next=…), or for actions "refused"/"written". */
type Outcome = number | "login";

let ownCase = 0;
let otherCase = 0;
let holderId = 0;
let otherHolderId = 0;
let rec: RecordationFixtures;
let ownNotice = 0;
let otherNotice = 0;
/** an (archived) risk profile that hit the member's own case (written straight into the server's database) */
let profileId = 0;
const PROFILE_NAME = `Matrix risk profile ${Date.now().toString(36)}`;

beforeAll(async () => {
  rec = ensureRecordationFixtures();
  ownNotice = await servedNotice("matrix-own", true, 1);
  otherNotice = await servedNotice("matrix-other", false, 1);
  const db = openTestDatabase();
  holderId = (db.prepare("select holder_id as id from user where email = 'member@demo.test'").get() as { id: number }).id;
  ownCase = (db.prepare(`select min(case_id) as id from case_right_holders l join cases c on c.id = l.case_id
                         where c.deleted_at is null and l.right_holder_id = ?`).get(holderId) as { id: number }).id;
  otherHolderId = (db.prepare("select min(id) as id from right_holders where id <> ?").get(holderId) as { id: number }).id;
  otherCase = (db.prepare(`select min(id) as id from cases where deleted_at is null
                           and id not in (select case_id from case_right_holders where right_holder_id = ?)`).get(holderId) as { id: number }).id;
  db.close();
  // a risk profile and its hit on the member's own case, written straight into the server's database
  const writable = new Database(inject("databaseFile"), { fileMustExist: true });
  writable.pragma("busy_timeout = 5000");
  const now = Date.now();
  profileId = Number(writable.prepare(`insert into risk_profiles (name, owner_id, query, valid_from, valid_to, reason, archived, version, created_at, updated_at)
    values (?, (select id from user where email = 'analyst@demo.test'), 'type=trademark', '2020-01-01', null, 'the matrix', 1, 1, ?, ?)`).run(PROFILE_NAME, now, now).lastInsertRowid);
  writable.prepare("insert into profile_hits (profile_id, case_id, hit_at, hit_on) values (?, ?, ?, '2026-01-01')").run(profileId, ownCase, now);
  writable.close();
});

async function headersFor(who: Who): Promise<Record<string, string>> {
  return who === "anonymous" ? {} : { cookie: await sessionCookie(who) };
}

async function outcome(path: string, who: Who): Promise<Outcome> {
  const response = await fetch(`${baseURL()}${path}`, { headers: await headersFor(who), redirect: "manual" });
  if (response.status === 307 && /\/login(\?|$)/.test(response.headers.get("location") ?? "")) return "login";
  return response.status;
}

const everyone = (status: number): Record<Who, Outcome> => ({ anonymous: "login", member: status, analyst: status, admin: status });
const adminsOnly: Record<Who, Outcome> = { anonymous: "login", member: 403, analyst: 403, admin: 200 };
const api = (member: number, others = 200): Record<Who, Outcome> => ({ anonymous: 401, member, analyst: others, admin: others });

const PAGES: [string, () => string, Record<Who, Outcome>][] = [
  ["dashboard", () => "/", everyone(200)],
  ["dashboard with filters", () => "/?district=8600&from=2016-01-01&to=2017-06-07", everyone(200)],
  ["cases table", () => "/cases", everyone(200)],
  ["own company's case", () => `/cases/${ownCase}`, everyone(200)],
  ["another company's case", () => `/cases/${otherCase}`, { anonymous: "login", member: 404, analyst: 200, admin: 200 }],
  ["right holders", () => "/right-holders", everyone(200)],
  ["own company's right-holder page", () => `/right-holders/${holderId}`, everyone(200)],
  ["another right holder's page", () => `/right-holders/${otherHolderId}`, { anonymous: "login", member: 404, analyst: 200, admin: 200 }],
  ["districts", () => "/districts", everyone(200)],
  ["a district", () => "/districts/8600", everyone(200)],
  ["account (password)", () => "/account", everyone(200)],
  ["new case form", () => "/cases/new", adminsOnly],
  ["edit case form", () => `/cases/${ownCase}/edit`, adminsOnly],
  ["admin", () => "/admin", adminsOnly],
  ["admin: users", () => "/admin/users", adminsOnly],
  ["admin: audit log", () => "/admin/audit", adminsOnly],
  ["admin: right holders", () => "/admin/right-holders", adminsOnly],
  ["admin: offices", () => "/admin/offices", adminsOnly],
  ["admin: deleted cases", () => "/admin/deleted", adminsOnly],
  ["admin: import", () => "/admin/import", adminsOnly],
  ["recordations", () => "/recordations", everyone(200)],
  ["recordations, filtered", () => "/recordations?state=expiring&kind=trademark", everyone(200)],
  ["own company's recordation", () => `/recordations/${rec.own}`, everyone(200)],
  ["another company's recordation", () => `/recordations/${rec.other}`, { anonymous: "login", member: 404, analyst: 200, admin: 200 }],
  ["new recordation form", () => "/recordations/new", { anonymous: "login", member: 200, analyst: 403, admin: 200 }],
  ["edit recordation form", () => `/recordations/${rec.own}/edit`, adminsOnly],
  ["procedure: open deadlines and holiday calendar", () => "/procedure", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["cases resting on the own company's recordation", () => `/cases?recordation=${rec.own}`, everyone(200)],
  ["cases resting on another company's recordation", () => `/cases?recordation=${rec.other}`, everyone(200)],
  ["cases resting on no recordation (to complete)", () => "/?recordation=none", everyone(200)],
  ["notifications (each user its own)", () => "/notifications", everyone(200)],
  ["saved views (each user its own and those shared with it)", () => "/views", everyone(200)],
  ["risk profiles (staff only)", () => "/risk/profiles", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["risk profiles, stopped hitting", () => "/risk/profiles?show=stale&sort=value", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["new risk profile from a filter", () => "/risk/profiles/new?query=type%3Dtrademark", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["a risk profile", () => `/risk/profiles/${profileId}`, { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["a risk profile that does not exist", () => "/risk/profiles/99999999", { anonymous: "login", member: 403, analyst: 404, admin: 404 }],
  ["a bad risk profile id", () => "/risk/profiles/abc", { anonymous: "login", member: 403, analyst: 404, admin: 404 }],
  ["inbox of detention notices", () => "/inbox", { anonymous: "login", member: 200, analyst: 403, admin: 403 }],
  ["own company's notice", () => `/inbox/${ownNotice}`, { anonymous: "login", member: 200, analyst: 403, admin: 403 }],
  ["another company's notice", () => `/inbox/${otherNotice}`, { anonymous: "login", member: 404, analyst: 403, admin: 403 }],
  ["a notice that does not exist", () => "/inbox/99999999", { anonymous: "login", member: 404, analyst: 403, admin: 403 }],
  ["a bad notice id", () => "/inbox/abc", { anonymous: "login", member: 404, analyst: 403, admin: 403 }],
  ["procedure: releases due", () => "/procedure?show=release_due", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["risk: hot spots", () => "/risk", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["risk: watch-list of parties (staff only)", () => "/risk/watch-list", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["risk: hot spots, with a query", () => "/risk?dimension=district", { anonymous: "login", member: 403, analyst: 200, admin: 200 }],
  ["login page", () => "/login", { anonymous: 200, member: 307, analyst: 307, admin: 307 }],
  ["admin: e-mail outbox", () => "/admin/outbox", adminsOnly],
  ["admin: API tokens of all accounts", () => "/admin/tokens", adminsOnly],
  ["forgot password (public)", () => "/login/forgot", { anonymous: 200, member: 200, analyst: 200, admin: 200 }],
  ["reset or invitation link (public; an unknown link says so)", () => "/login/reset?token=no-such-link-0000", { anonymous: 200, member: 200, analyst: 200, admin: 200 }],
  ["a digest's unsubscribe link (public, token-checked; an unknown token says so)", () => "/unsubscribe/no-such-token-000000000000000", { anonymous: 404, member: 404, analyst: 404, admin: 404 }],
];

const APIS: [string, () => string, Record<Who, Outcome>][] = [
  ["GET /api/cases", () => "/api/cases", api(200)],
  ["GET /api/cases/{own}", () => `/api/cases/${ownCase}`, api(200)],
  ["GET /api/cases/{other company's}", () => `/api/cases/${otherCase}`, api(404)],
  ["GET /api/cases/export (csv)", () => "/api/cases/export?format=csv&district=8600&from=2016-01-01&to=2016-12-31", api(200)],
  ["GET /api/cases/export (xlsx)", () => "/api/cases/export?format=xlsx&district=8600&from=2016-01-01&to=2016-12-31", api(200)],
  ["GET /api/stats", () => "/api/stats?district=8600", api(200)],
  ["GET /api/report (pdf)", () => "/api/report?format=pdf&lang=en&district=8600&from=2016-01-01&to=2016-12-31", api(200)],
  ["GET /api/report (xlsx, zh)", () => "/api/report?format=xlsx&lang=zh&district=8600&from=2016-01-01&to=2016-12-31", api(200)],
  ["GET /api/report (bad format: 400)", () => "/api/report?format=doc", api(400, 400)],
  ["GET /api/market", () => "/api/market?from=2016-01-01&to=2017-12-31", api(200)],
  ["GET /api/market (another filter: 400)", () => "/api/market?district=8600", api(400, 400)],
  ["GET /api/recordations/{other company's}/image", () => `/api/recordations/${rec.other}/image`, api(404)],
  ["GET /api/recordations/{none}/image", () => "/api/recordations/99999999/image", api(404, 404)],
  ["GET /api/stats?recordation={other company's}", () => `/api/stats?recordation=${rec.other}`, api(200)],
  ["GET /api/cases?recordation=none", () => "/api/cases?recordation=none", api(200)],
  ["GET /api/auth/get-session", () => "/api/auth/get-session", { anonymous: 200, member: 200, analyst: 200, admin: 200 }],
  ["GET /api/admin/backup", () => "/api/admin/backup", { anonymous: 401, member: 403, analyst: 403, admin: 200 }],
  ["GET /api/admin/import/template (csv, en)", () => "/api/admin/import/template?format=csv&locale=en", { anonymous: 401, member: 403, analyst: 403, admin: 200 }],
  ["GET /api/admin/import/template (xlsx, zh)", () => "/api/admin/import/template?format=xlsx&locale=zh", { anonymous: 401, member: 403, analyst: 403, admin: 200 }],
];

describe("pages", () => {
  for (const [name, path, expected] of PAGES) {
    it(`${name}: ${WHO.map((w) => `${w} ${expected[w]}`).join(", ")}`, async () => {
      const got: Record<string, Outcome> = {};
      for (const who of WHO) got[who] = await outcome(path(), who);
      expect(got).toEqual(expected);
    });
  }
});

describe("the recordation filter in a member's scope", () => {
  it("another company's recordation selects none of the member's cases and is never named to it", async () => {
    const headers = await headersFor("member");
    const stats = await fetch(`${baseURL()}/api/stats?recordation=${rec.other}`, { headers });
    expect(stats.status).toBe(200);
    expect(JSON.stringify(await stats.json())).not.toContain(rec.otherNumber);
    const page = await (await fetch(`${baseURL()}/cases?recordation=${rec.other}`, { headers })).text();
    expect(page).not.toContain(rec.otherNumber);
    expect(page).not.toContain("OTHER FIXTURE");
    const home = await (await fetch(`${baseURL()}/`, { headers })).text();
    expect(home).not.toContain(rec.otherNumber);
    // an analyst sees the chip with the recordation's number
    const analyst = await (await fetch(`${baseURL()}/cases?recordation=${rec.other}`, { headers: await headersFor("analyst") })).text();
    expect(analyst).toContain(rec.otherNumber);
  });
});

describe("route handlers and the API", () => {
  for (const [name, path, expected] of APIS) {
    it(`${name}: ${WHO.map((w) => `${w} ${expected[w]}`).join(", ")}`, async () => {
      const got: Record<string, Outcome> = {};
      for (const who of WHO) got[who] = await outcome(path(), who);
      expect(got).toEqual(expected);
    });
  }

  it("POST /api/admin/import (a dry run): anonymous 401, member 403, analyst 403, admin 200", async () => {
    const got: Record<string, number> = {};
    for (const who of WHO) {
      const template = await fetch(`${baseURL()}/api/admin/import/template?format=csv&locale=en`, { headers: await headersFor("admin") });
      const form = new FormData();
      form.append("file", new Blob([await template.arrayBuffer()], { type: "text/csv" }), "template.csv");
      const response = await fetch(`${baseURL()}/api/admin/import?mode=dry-run`, {
        method: "POST",
        headers: { ...(await headersFor(who)), origin: baseURL() },
        body: form,
      });
      got[who] = response.status;
    }
    expect(got).toEqual({ anonymous: 401, member: 403, analyst: 403, admin: 200 });
  });

  it("answers anonymous API calls with JSON, not a login page", async () => {
    const response = await fetch(`${baseURL()}/api/cases`);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ error: "unauthenticated", message: "Sign in first." });
  });

  it("refuses a sign-up to everyone, signed in or not", async () => {
    for (const who of WHO) {
      const response = await fetch(`${baseURL()}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { ...(await headersFor(who)), "content-type": "application/json", origin: baseURL() },
        body: JSON.stringify({ email: `new-${who}@example.com`, password: "a-long-password-1", name: "N" }),
      });
      expect(response.status, who).toBeGreaterThanOrEqual(400);
    }
  });
});

// ---- server actions ----------------------------------------------------------------------
// Every server action of the build (read from Next's server-reference manifest, so a new
// action without a row here fails), invoked over HTTP the way a browser does (Next-Action
// header, arguments encoded by React's encodeReply), by each kind of user.

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<FormData | string>;
};
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

type ManifestEntry = { workers: Record<string, unknown>; exportedName: string; filename: string };
function serverActions(): Map<string, { id: string; path: string }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  const out = new Map<string, { id: string; path: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    // a page that registers the action, preferring one without a dynamic segment
    const pages = Object.keys(entry.workers).map((w) => w.replace(/^app/, "").replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "") || "/");
    const page = pages.find((p) => !p.includes("[")) ?? pages[0]!;
    out.set(entry.exportedName, { id, path: page.replace(/\[id\]/, String(ownCase)).replace(/\[code\]/, "8600") });
  }
  return out;
}

type Answer = { status: number; body: string; setCookie: string[] };
async function invoke(action: { id: string; path: string }, who: Who, fields: Record<string, string | string[]>, onPath?: string, formOnly = false): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  // useActionState actions take (previous state, form); a plain form action takes the form
  const body = await encodeReply(formOnly ? [form] : [null, form]);
  const response = await fetch(`${baseURL()}${onPath ?? action.path}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...(await headersFor(who)), "next-action": action.id, accept: "text/x-component", origin: baseURL() },
    body: body as BodyInit,
  });
  return { status: response.status, body: await response.text(), setCookie: response.headers.getSetCookie() };
}

/** What happened: "login" (never reached the action), "forbidden"/"unauthenticated" (refused by it), or "ran". */
function verdict(a: Answer): "login" | "forbidden" | "unauthenticated" | "ran" {
  if (a.status === 307) return "login";
  if (/"error":"forbidden"/.test(a.body)) return "forbidden";
  if (/"error":"unauthenticated"/.test(a.body)) return "unauthenticated";
  return "ran";
}

const one = <T,>(sql: string, ...params: unknown[]): T => {
  const db = openTestDatabase();
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
};

const WRITE_EXPECTED = { anonymous: "login", member: "forbidden", analyst: "forbidden", admin: "ran" } as const;

describe("server actions", () => {
  let actions: Map<string, { id: string; path: string }>;
  const suffix = String(Date.now() % 100000).padStart(5, "0");
  const officeId = () => one<{ id: number }>("select id from customs_offices where code = '0100'").id;
  const caseFields = (who: Who, n: number) => ({
    caseNo: `0100-2026-7${WHO.indexOf(who)}${String(n).padStart(2, "0")}`,
    officeId: String(officeId()),
    seizedOn: "2025-03-01",
    infringementType: "trademark",
    goodsCategory: "toys",
    goodsDescription: "Matrix test toys",
    pieces: "10",
    valueYuan: "100.50",
    direction: "export",
    channel: "postal",
    transport: "post",
    protectionMode: "ex_officio",
    status: "detained",
    "rightHolderIds[]": [String(holderId)],
    // an ex-officio case rests on a recordation valid on its seizure date (the fixture's: 2020–2029)
    "recordationIds[]": [String(rec.own)],
  });
  let caseId = 0;
  let accountId = "";
  let holderA = 0;
  let holderB = 0;
  let subordinate = 0;

  beforeAll(() => {
    actions = serverActions();
  });

  it("every server action of the build is in this matrix", () => {
    expect([...actions.keys()].sort()).toEqual([
      "changePassword", "createAccountAction", "createCaseAction", "createHolderAction", "createOfficeAction",
      "deleteAccountAction", "deleteCaseAction", "mergeHoldersAction", "resetPasswordAction", "restoreCaseAction",
      "setLocale", "signIn", "signOut", "updateAccountAction", "updateCaseAction", "updateHolderAction", "updateOfficeAction",
      // recordations
      "approveRecordationAction", "createRecordationAction", "renewRecordationAction", "revokeRecordationAction",
      "setRecordationPartiesAction", "updateRecordationAction",
      // the detention procedure
      "recordStepAction", "removeOverrideAction", "setOverrideAction",
      // notifications
      "markNotificationsReadAction",
      // e-mail: the outbox, invitations, password reset by e-mail
      "retryMailAction", "resendInvitationAction", "requestResetAction", "resetWithLinkAction",
      // saved views and their digests
      "saveViewAction", "changeViewAction", "deleteViewAction", "setSubscriptionAction",
      // the inbox
      "answerNoticeAction", "releaseDueAction",
      // a case's files
      "removeAttachmentAction", "updateAttachmentAction",
      // personal API tokens
      "createTokenAction", "revokeAnyTokenAction", "revokeMyTokenAction",
      // risk profiles
      "createProfileAction", "changeProfileAction", "archiveProfileAction",
      // authentication guides, and a customs account's district
      "createGuideAction", "updateGuideAction", "updateGuidePairAction", "removeGuidePairAction", "setAccountDistrictAction",
      // the retention of personal identity numbers (PIPL)
      "setRetentionAction",
      // the watch-list of parties: the admin's rule, the case form's check
      "setWatchRuleAction", "checkWatchListAction",
    ].sort());
  });

  /** Runs a write action as each user (admin last) and checks it was written exactly for the admin. */
  async function writeMatrix(name: string, fields: (who: Who) => Record<string, string | string[]>, written: (who: Who) => boolean) {
    const got: Record<string, string> = {};
    for (const who of WHO) {
      const answer = await invoke(actions.get(name)!, who, fields(who));
      got[who] = verdict(answer);
      expect(written(who), `${name} as ${who}: written`).toBe(who === "admin");
    }
    expect(got).toEqual(WRITE_EXPECTED);
  }

  it("setRetentionAction: admin only", async () => {
    // long periods (over 40 years): nothing of the shared demo data is erased
    const months = (who: Who) => 500 + WHO.indexOf(who);
    await writeMatrix(
      "setRetentionAction",
      (who) => ({ months: String(months(who)) }),
      (who) => (one<{ value: string } | undefined>("select value from app_meta where key = 'party_id_retention_months'")?.value ?? "") === String(months(who)),
    );
  });

  it("setWatchRuleAction: admin only; checkWatchListAction: staff only, never a member", async () => {
    const rule = () => one<{ value: string } | undefined>("select value from app_meta where key = 'watch_list_rule'")?.value ?? "";
    const before = rule();
    const months = (who: Who) => 100 + WHO.indexOf(who);
    await writeMatrix("setWatchRuleAction", (who) => ({ minCases: "2", months: String(months(who)) }), (who) => rule() === JSON.stringify({ minCases: 2, months: months(who) }));
    // the rule as it was (the default when none was set)
    await invoke(actions.get("setWatchRuleAction")!, "admin", before ? Object.fromEntries(Object.entries(JSON.parse(before)).map(([k, v]) => [k, String(v)])) : { minCases: "2", months: "24" });
    const got: Record<string, string> = {};
    for (const who of WHO) {
      const answer = await invoke(actions.get("checkWatchListAction")!, who, { "parties[]": ["x"] }, "/cases/new", true);
      got[who] = verdict(answer);
      if (who === "member") expect(answer.body).not.toContain("hits");
    }
    expect(got).toEqual({ anonymous: "login", member: "forbidden", analyst: "ran", admin: "ran" });
  });

  it("createCaseAction: admin only", async () => {
    await writeMatrix("createCaseAction", (who) => caseFields(who, 1), (who) =>
      one<{ n: number }>("select count(*) as n from cases where case_no = ?", caseFields(who, 1).caseNo).n === 1);
    caseId = one<{ id: number }>("select id from cases where case_no = ?", caseFields("admin", 1).caseNo).id;
  });

  it("updateCaseAction: admin only", async () => {
    let version = one<{ v: number }>("select version as v from cases where id = ?", caseId).v;
    await writeMatrix(
      "updateCaseAction",
      (who) => ({ ...caseFields("admin", 1), id: String(caseId), version: String(version), pieces: String(1000 + WHO.indexOf(who)) }),
      (who) => one<{ pieces: number }>("select pieces from cases where id = ?", caseId).pieces === 1000 + WHO.indexOf(who),
    );
    version = one<{ v: number }>("select version as v from cases where id = ?", caseId).v;
    expect(version).toBe(2);
  });

  it("deleteCaseAction and restoreCaseAction: admin only", async () => {
    const version = () => String(one<{ v: number }>("select version as v from cases where id = ?", caseId).v);
    const deleted = () => one<{ d: number | null }>("select deleted_at as d from cases where id = ?", caseId).d !== null;
    const got: Record<string, string> = {};
    for (const who of WHO) {
      got[who] = verdict(await invoke({ ...actions.get("deleteCaseAction")!, path: `/cases/${caseId}` }, who, { id: String(caseId), version: version() }));
      expect(deleted(), `deleted by ${who}`).toBe(who === "admin");
    }
    expect(got).toEqual(WRITE_EXPECTED);
    await writeMatrix("restoreCaseAction", () => ({ id: String(caseId) }), () => !deleted());
  });

  it("createAccountAction, updateAccountAction, resetPasswordAction, deleteAccountAction: admin only", async () => {
    const email = (who: Who) => `matrix-${who}-${suffix}@demo.test`;
    await writeMatrix(
      "createAccountAction",
      (who) => ({ email: email(who), name: `Matrix ${who}`, role: "analyst", holderId: "", password: "matrix-password-1" }),
      (who) => one<{ n: number }>("select count(*) as n from user where email = ?", email(who)).n === 1,
    );
    accountId = one<{ id: string }>("select id from user where email = ?", email("admin")).id;
    await writeMatrix(
      "updateAccountAction",
      (who) => ({ id: accountId, name: `Renamed by ${who}`, role: "analyst", holderId: "" }),
      (who) => one<{ name: string }>("select name from user where id = ?", accountId).name === `Renamed by ${who}`,
    );
    const hash = () => one<{ p: string }>("select password as p from account where user_id = ?", accountId).p;
    let before = hash();
    const got: Record<string, string> = {};
    for (const who of WHO) {
      got[who] = verdict(await invoke(actions.get("resetPasswordAction")!, who, { id: accountId, password: `reset-by-${who}-1` }));
      expect(hash() !== before, `password reset by ${who}`).toBe(who === "admin");
      before = hash();
    }
    expect(got).toEqual(WRITE_EXPECTED);
    await writeMatrix(
      "deleteAccountAction",
      () => ({ id: accountId, confirm: "yes" }),
      () => one<{ n: number }>("select count(*) as n from user where id = ?", accountId).n === 0,
    );
  });

  it("retryMailAction and resendInvitationAction: admin only; requestResetAction and resetWithLinkAction: anyone", async () => {
    // a given-up mail to retry, written beside the server
    const db = new Database(inject("databaseFile"), { fileMustExist: true });
    let mailId = 0;
    try {
      db.pragma("busy_timeout = 5000");
      mailId = Number(db.prepare(`insert into outbox (dedupe_key, to_address, locale, subject, text_body, status, attempts, next_attempt_at, message_id, created_at, last_error)
        values (?, 'matrix@example.test', 'en', 'Matrix', 'Matrix', 'failed', 8, 0, ?, ?, 'refused')`).run(`matrix:${suffix}`, `<matrix-${suffix}@test>`, Date.now()).lastInsertRowid);
    } finally {
      db.close();
    }
    const mailState = () => one<{ status: string; attempts: number }>("select status, attempts from outbox where id = ?", mailId);
    const got: Record<string, string> = {};
    for (const who of WHO) {
      got[who] = verdict(await invoke(actions.get("retryMailAction")!, who, { id: String(mailId) }, "/admin/outbox"));
      expect(mailState().status === "failed", `retried by ${who}`).toBe(who !== "admin");
    }
    expect(got).toEqual(WRITE_EXPECTED);
    expect(one<{ n: number }>("select count(*) as n from audit_log where entity = 'outbox_mail' and entity_id = ?", mailId).n).toBe(1);

    // an invitation (an account made without a password), sent again only by an admin
    const invited = `matrix-invite-${suffix}@demo.test`;
    await invoke(actions.get("createAccountAction")!, "admin", { email: invited, name: "Matrix invitee", role: "analyst", holderId: "", password: "", locale: "zh" });
    const userId = one<{ id: string }>("select id from user where email = ?", invited).id;
    const link = () => one<{ v: string }>("select verification_id as v from invitations where user_id = ?", userId).v;
    let before = link();
    const resent: Record<string, string> = {};
    for (const who of WHO) {
      resent[who] = verdict(await invoke(actions.get("resendInvitationAction")!, who, { id: userId }, "/admin/users"));
      expect(link() !== before, `resent by ${who}`).toBe(who === "admin");
      before = link();
    }
    expect(resent).toEqual(WRITE_EXPECTED);

    // public: asking for a reset link (the same answer for any address) and using one
    const asked: Record<string, string> = {};
    const used: Record<string, string> = {};
    for (const who of WHO) {
      const answer = await invoke(actions.get("requestResetAction")!, who, { email: `nobody-${who}-${suffix}@demo.test` }, "/login/forgot");
      asked[who] = verdict(answer);
      expect(answer.body).toContain('"sent":true');
      const refused = await invoke(actions.get("resetWithLinkAction")!, who, { token: "no-such-link-0000", new: "matrix-password-9", repeat: "matrix-password-9" }, "/login/reset");
      used[who] = verdict(refused);
      expect(refused.body).toContain('"error":"invalid"');
    }
    expect(asked).toEqual({ anonymous: "ran", member: "ran", analyst: "ran", admin: "ran" });
    expect(used).toEqual({ anonymous: "ran", member: "ran", analyst: "ran", admin: "ran" });
    expect(one<{ n: number }>("select count(*) as n from outbox where to_address like ?", `nobody-%-${suffix}@demo.test`).n).toBe(0);
  });

  it("createHolderAction, updateHolderAction, mergeHoldersAction: admin only", async () => {
    const name = (who: Who) => `Matrix Holder ${who} ${suffix}`;
    await writeMatrix(
      "createHolderAction",
      (who) => ({ name: name(who), nameZh: "", country: "DE", industry: "luxury" }),
      (who) => one<{ n: number }>("select count(*) as n from right_holders where name = ?", name(who)).n === 1,
    );
    holderA = one<{ id: number }>("select id from right_holders where name = ?", name("admin")).id;
    await writeMatrix(
      "updateHolderAction",
      (who) => ({ id: String(holderA), name: `${name("admin")} (${who})`, nameZh: "", country: "FR", industry: "luxury" }),
      (who) => one<{ name: string }>("select name from right_holders where id = ?", holderA).name === `${name("admin")} (${who})`,
    );
    // a second holder to merge into the first, through the admin's own action
    await invoke(actions.get("createHolderAction")!, "admin", { name: `Matrix Duplicate ${suffix}`, nameZh: "", country: "FR", industry: "luxury" });
    holderB = one<{ id: number }>("select id from right_holders where name = ?", `Matrix Duplicate ${suffix}`).id;
    await writeMatrix(
      "mergeHoldersAction",
      () => ({ keepId: String(holderA), removeId: String(holderB), confirm: "yes" }),
      () => one<{ n: number }>("select count(*) as n from right_holders where id = ?", holderB).n === 0,
    );
  });

  it("createOfficeAction and updateOfficeAction: admin only", async () => {
    const code = (who: Who) => `97${WHO.indexOf(who)}${suffix.slice(-1)}`;
    const district = String(one<{ id: number }>("select id from customs_offices where code = '0100'").id);
    await writeMatrix(
      "createOfficeAction",
      (who) => ({ code: code(who), nameEn: `Matrix ${who}`, nameZh: "矩阵测试", province: "Beijing", districtId: district }),
      (who) => one<{ n: number }>("select count(*) as n from customs_offices where code = ?", code(who)).n === 1,
    );
    subordinate = one<{ id: number }>("select id from customs_offices where code = ?", code("admin")).id;
    await writeMatrix(
      "updateOfficeAction",
      (who) => ({ id: String(subordinate), nameEn: `Matrix renamed by ${who}`, nameZh: "矩阵测试", province: "Beijing", districtId: district }),
      (who) => one<{ name: string }>("select name_en as name from customs_offices where id = ?", subordinate).name === `Matrix renamed by ${who}`,
    );
  });

  it("recordStepAction, setOverrideAction, removeOverrideAction: admin only", async () => {
    const version = () => String(one<{ v: number }>("select version as v from cases where id = ?", caseId).v);
    const steps = () => one<{ n: number }>("select count(*) as n from case_steps where case_id = ?", caseId).n;
    const before = steps();
    const got: Record<string, string> = {};
    for (const who of WHO) {
      const fields = { caseId: String(caseId), version: version(), kind: "suspected", at: "2025-03-02T10:00" };
      got[who] = verdict(await invoke({ ...actions.get("recordStepAction")!, path: `/cases/${caseId}` }, who, fields));
      expect(steps(), `a step recorded by ${who}`).toBe(before + (who === "admin" ? 1 : 0));
    }
    expect(got).toEqual(WRITE_EXPECTED);
    const date = (who: Who) => `2035-01-1${WHO.indexOf(who)}`;
    const entered = (d: string) => one<{ n: number }>("select count(*) as n from working_day_overrides where date = ?", d).n === 1;
    await writeMatrix("setOverrideAction", (who) => ({ date: date(who), kind: "holiday", note: `matrix ${who}` }), (who) => entered(date(who)));
    await writeMatrix("removeOverrideAction", () => ({ date: date("admin") }), () => !entered(date("admin")));
  });

  it("markNotificationsReadAction: every signed-in user, on its own notifications only", async () => {
    // one unread notification for each demo user, written straight into the server's database
    const ids = new Map<Who, number>();
    const db = new Database(inject("databaseFile"), { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      for (const who of ["member", "analyst", "admin"] as const) {
        const userId = (db.prepare("select id from user where email = ?").get(`${who}@demo.test`) as { id: string }).id;
        // the case's real number, as the app writes it (the Chinese crawl reads these notifications)
        const { caseNo } = db.prepare("select case_no as caseNo from cases where id = ?").get(ownCase) as { caseNo: string };
        const params = JSON.stringify({ caseNo, lastDay: "2026-01-05" });
        const row = db.prepare(`insert into notifications (key, user_id, kind, case_id, holder_id, params, created_at)
          values (?, ?, 'detention_notice', ?, ?, ?, ?) returning id`).get(`matrix:${suffix}:${who}`, userId, ownCase, who === "member" ? holderId : null, params, Date.now()) as { id: number };
        ids.set(who, row.id);
      }
    } finally {
      db.close();
    }
    const readAt = (id: number) => one<{ r: number | null }>("select read_at as r from notifications where id = ?", id).r;
    const got: Record<string, string> = {};
    for (const who of WHO) {
      // everyone tries the member's notification: only the member marks it
      const answer = await invoke(actions.get("markNotificationsReadAction")!, who, { id: String(ids.get("member")) }, "/notifications");
      got[who] = verdict(answer);
      if (who === "analyst" || who === "admin") expect(answer.body, `${who} on the member's`).toMatch(/"code":"not_found"/);
      // (WHO's order: anonymous, member, analyst, admin) marked by the member, and by no one before it
      expect(readAt(ids.get("member")!) !== null, `the member's marked after ${who}`).toBe(who !== "anonymous");
    }
    expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    for (const who of ["analyst", "admin"] as const) {
      expect(readAt(ids.get(who)!), `${who}'s own, before`).toBeNull();
      expect(verdict(await invoke(actions.get("markNotificationsReadAction")!, who, { id: "all" }, "/notifications"))).toBe("ran");
      expect(readAt(ids.get(who)!), `${who}'s own, after "all"`).not.toBeNull();
    }
  });

  it("saveViewAction, changeViewAction, deleteViewAction: every signed-in user, on its own views only", async () => {
    const name = (who: Who) => `matrix view ${suffix} ${who}`;
    const viewOf = (who: Who) => one<{ id: number; name: string; query: string } | undefined>("select id, name, query from saved_views where name like ?", `${name(who)}%`);
    const got: Record<string, string> = {};
    for (const who of WHO) {
      got[who] = verdict(await invoke(actions.get("saveViewAction")!, who, { name: name(who), page: "dashboard", query: "type=trademark&x=1", shared: "on" }, "/"));
    }
    expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    expect(viewOf("anonymous")).toBeUndefined();
    expect(viewOf("member")!.query).toBe("type=trademark");
    const adminView = viewOf("admin")!.id;
    for (const who of WHO) {
      // everyone tries the admin's view: only the admin (last) changes it, then deletes it
      const rename = await invoke(actions.get("changeViewAction")!, who, { id: String(adminView), what: "rename", name: `${name("admin")} renamed by ${who}` }, "/views");
      if (who === "member" || who === "analyst") expect(rename.body, `${who} renaming the admin's`).toMatch(/"code":"not_found"/);
      const removal = await invoke(actions.get("deleteViewAction")!, who, { id: String(adminView), confirm: "yes" }, "/views");
      got[who] = verdict(removal);
      if (who !== "admin") expect(viewOf("admin")!.name, `the admin's view after ${who}`).toBe(name("admin"));
    }
    expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    expect(viewOf("admin")).toBeUndefined();
  });

  it("createProfileAction, changeProfileAction, archiveProfileAction: analysts and admins only; a member never", async () => {
    const name = (who: Who) => `matrix profile ${suffix} ${who}`;
    const profileOf = (who: Who) => one<{ id: number; version: number; archived: number } | undefined>("select id, version, archived from risk_profiles where name = ?", name(who));
    const owner = one<{ id: string }>("select id from user where email = 'analyst@demo.test'").id;
    const fields = (who: Who) => ({ name: name(who), ownerId: owner, query: "type=trademark&x=1", validFrom: "2026-01-01", validTo: "", reason: "the matrix" });
    const staff = { anonymous: "login", member: "forbidden", analyst: "ran", admin: "ran" };
    const got: Record<string, string> = {};
    for (const who of WHO) got[who] = verdict(await invoke(actions.get("createProfileAction")!, who, fields(who), "/risk/profiles/new"));
    expect(got).toEqual(staff);
    expect(profileOf("anonymous")).toBeUndefined();
    expect(profileOf("member")).toBeUndefined();
    const target = profileOf("analyst")!;
    for (const who of WHO) {
      const current = profileOf("analyst")!;
      got[who] = verdict(await invoke(actions.get("changeProfileAction")!, who, { ...fields("analyst"), id: String(target.id), version: String(current.version), reason: `changed by ${who}` }, `/risk/profiles/${target.id}`));
    }
    expect(got).toEqual(staff);
    expect(profileOf("analyst")!.version).toBe(3);
    for (const who of WHO) {
      const current = profileOf("admin")!;
      got[who] = verdict(await invoke(actions.get("archiveProfileAction")!, who, { id: String(current.id), version: String(current.version), confirm: "yes" }, `/risk/profiles/${current.id}`));
      if (who === "member" || who === "anonymous") expect(profileOf("admin")!.archived).toBe(0);
    }
    expect(got).toEqual({ ...staff, analyst: "ran" });
    expect(profileOf("admin")!.archived).toBe(1);
  });

  it("a member never sees a risk profile's name: not on its own case that the profile hit, nor on its dashboard", async () => {
    const member = await headersFor("member");
    const casePage = await (await fetch(`${baseURL()}/cases/${ownCase}`, { headers: member })).text();
    expect(casePage).not.toContain(PROFILE_NAME);
    expect(casePage).not.toContain("/risk/profiles");
    const home = await (await fetch(`${baseURL()}/?type=trademark`, { headers: member })).text();
    expect(home).not.toContain("/risk/profiles");
    const views = await (await fetch(`${baseURL()}/views`, { headers: member })).text();
    expect(views).not.toContain("/risk/profiles");
    // staff see it on the case page
    const analystPage = await (await fetch(`${baseURL()}/cases/${ownCase}`, { headers: await headersFor("analyst") })).text();
    expect(analystPage).toContain(PROFILE_NAME);
  });

  it("setSubscriptionAction: every signed-in user, for itself, on a view it may see; the unsubscribe link: public, that subscription only", async () => {
    const viewName = (who: Who) => `matrix digest ${suffix} ${who}`;
    for (const who of ["member", "analyst", "admin"] as const) {
      await invoke(actions.get("saveViewAction")!, who, { name: viewName(who), page: "dashboard", query: "type=trademark", shared: "" }, "/");
    }
    const viewId = (who: Who) => one<{ id: number }>("select id from saved_views where name = ?", viewName(who)).id;
    const subscription = (who: Who, view: number) =>
      one<{ id: number; frequency: string; nonce: string } | undefined>(
        "select s.id, s.frequency, s.token_nonce as nonce from subscriptions s join user u on u.id = s.user_id where u.email = ? and s.view_id = ?", `${who}@demo.test`, view);
    const got: Record<string, string> = {};
    for (const who of WHO) {
      // each subscribes to the member's private view, then to its own: only the member reaches the first
      const other = await invoke(actions.get("setSubscriptionAction")!, who, { id: String(viewId("member")), frequency: "weekly" }, "/views");
      if (who === "analyst" || who === "admin") expect(other.body, `${who} on the member's private view`).toMatch(/"code":"not_found"/);
      if (who !== "anonymous") await invoke(actions.get("setSubscriptionAction")!, who, { id: String(viewId(who)), frequency: "monthly" }, "/views");
      got[who] = verdict(other);
    }
    expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    expect(subscription("member", viewId("member"))!.frequency).toBe("monthly");
    expect(subscription("analyst", viewId("member"))).toBeUndefined();
    expect(subscription("analyst", viewId("analyst"))!.frequency).toBe("monthly");

    // the member's unsubscribe link, without signing in: GET changes nothing, POST stops it, a second POST finds nothing
    const { createHmac } = await import("node:crypto");
    const secret = process.env.BETTER_AUTH_SECRET || one<{ value: string }>("select value from app_meta where key = 'auth_secret'").value;
    const mine = subscription("member", viewId("member"))!;
    const token = createHmac("sha256", secret).update(`unsubscribe:${mine.id}:${mine.nonce}`).digest("base64url");
    const link = `${baseURL()}/unsubscribe/${token}`;
    for (const who of WHO) expect((await fetch(link, { headers: await headersFor(who), redirect: "manual" })).status, `GET as ${who}`).toBe(200);
    expect(subscription("member", viewId("member"))).toBeDefined();
    const oneClick = await fetch(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click", redirect: "manual" });
    expect(oneClick.status).toBe(200);
    expect(subscription("member", viewId("member"))).toBeUndefined();
    expect(subscription("analyst", viewId("analyst"))).toBeDefined();
    expect((await fetch(link, { method: "POST", body: "List-Unsubscribe=One-Click", redirect: "manual" })).status).toBe(404);
    for (const who of ["member", "analyst", "admin"] as const) {
      await invoke(actions.get("deleteViewAction")!, who, { id: String(viewId(who)), confirm: "yes" }, "/views");
    }
    expect(one<{ n: number }>("select count(*) as n from subscriptions s join saved_views v on v.id = s.view_id where v.name like ?", `matrix digest ${suffix}%`).n).toBe(0);
  });

  it("answerNoticeAction: members only (their own company's notice); releaseDueAction: admin only", async () => {
    const version = () => String(one<{ v: number }>("select version as v from cases where id = ?", caseId).v);
    const steps = () => one<{ n: number }>("select count(*) as n from case_steps where case_id = ?", caseId).n;
    // the officer serves a notice on the matrix's case (the member's company's), now in Beijing time
    const beijingNow = new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 16);
    await invoke({ ...actions.get("recordStepAction")!, path: `/cases/${caseId}` }, "admin", { caseId: String(caseId), version: version(), kind: "notice_sent", at: beijingNow, documentNo: "TZ-MATRIX" });
    expect(one<{ k: string }>("select kind as k from case_steps where case_id = ? order by id desc limit 1", caseId).k).toBe("notice_sent");
    const got: Record<string, string> = {};
    for (const who of WHO) {
      const before = steps();
      const answer = await invoke({ ...actions.get("answerNoticeAction")!, path: `/inbox/${caseId}` }, who, { caseId: String(caseId), version: version(), answer: "declines", confirm: "yes" });
      got[who] = verdict(answer);
      expect(steps(), `an answer by ${who}`).toBe(before + (who === "member" ? 1 : 0));
    }
    expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "forbidden" });
    // another company's notice: the member's answer finds nothing (as a missing one), nothing changes
    const otherSteps = one<{ n: number }>("select count(*) as n from case_steps where case_id = ?", otherNotice).n;
    const otherVersion = String(one<{ v: number }>("select version as v from cases where id = ?", otherNotice).v);
    const taken = await invoke({ ...actions.get("answerNoticeAction")!, path: `/inbox/${ownNotice}` }, "member", { caseId: String(otherNotice), version: otherVersion, answer: "declines", confirm: "yes" });
    expect(taken.body).toMatch(/"error":"not_found"/);
    expect(one<{ n: number }>("select count(*) as n from case_steps where case_id = ?", otherNotice).n).toBe(otherSteps);
    // the holder declined: the release is due, recorded by an admin only
    await writeMatrix(
      "releaseDueAction",
      () => ({ caseId: String(caseId), version: version(), confirm: "yes" }),
      () => one<{ k: string }>("select kind as k from case_steps where case_id = ? order by id desc limit 1", caseId).k === "released",
    );
  });

  describe("recordations", () => {
    const recNumber = (who: Who) => `T2026-8${WHO.indexOf(who)}${suffix.slice(-3)}`;
    const recFields = (who: Who, holder: number) => ({
      number: recNumber(who), holderId: String(holder), kind: "trademark", rightNo: "555", titleEn: `Matrix ${who}`, titleZh: "",
      classes: "9", validFrom: "2026-01-01", validTo: "", licensees: "", consignors: "",
    });
    const recRow = (id: number) => one<{ status: string; version: number; validTo: string; parties: number; holderId: number }>(
      `select status, version, valid_to as validTo, holder_id as holderId,
         (select count(*) from recordation_parties p where p.recordation_id = r.id) as parties
       from recordations r where id = ?`, id);
    const onPage = (id: number) => `/recordations/${id}`;
    const run = async (name: string, who: Who, fields: Record<string, string>, path: string) => verdict(await invoke(actions.get(name)!, who, fields, path));

    it("createRecordationAction: members (for their own company) and admins", async () => {
      const got: Record<string, string> = {};
      for (const who of WHO) {
        // everyone names another company: a member's recordation is its own company's all the same
        got[who] = await run("createRecordationAction", who, recFields(who, otherHolderId), "/recordations/new");
        const made = one<{ holderId: number; status: string } | undefined>("select holder_id as holderId, status from recordations where number = ?", recNumber(who));
        if (who === "member") expect(made).toEqual({ holderId, status: "pending" });
        else if (who === "admin") expect(made).toEqual({ holderId: otherHolderId, status: "pending" });
        else expect(made, `created by ${who}`).toBeUndefined();
      }
      expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
    });

    it("setRecordationPartiesAction and renewRecordationAction: a member on its own company's only, admins on any", async () => {
      const got: Record<string, string> = {};
      for (const who of WHO) {
        const before = recRow(rec.own);
        got[who] = await run("setRecordationPartiesAction", who, { id: String(rec.own), version: String(before.version), licensees: `Licensee of ${who}`, consignors: "" }, onPage(rec.own));
        expect(recRow(rec.own).parties, `parties by ${who}`).toBe(who === "member" || who === "admin" ? 1 : before.parties);
      }
      expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      // another company's: the member's write finds nothing (the answer is "not found"), nothing changes
      const other = recRow(rec.other);
      const answer = await invoke(actions.get("setRecordationPartiesAction")!, "member", { id: String(rec.other), version: String(other.version), licensees: "Taken over", consignors: "" }, onPage(rec.own));
      expect(answer.body).toMatch(/"error":"not_found"/);
      const renew = await invoke(actions.get("renewRecordationAction")!, "member", { id: String(rec.other), version: String(other.version), confirm: "yes" }, onPage(rec.own));
      expect(renew.body).toMatch(/"error":"not_found"/);
      expect(recRow(rec.other)).toEqual(other);
      // renewing the member's own one (not within its last six months) is refused as too early, by the write itself
      const own = recRow(rec.own);
      const early = await invoke(actions.get("renewRecordationAction")!, "member", { id: String(rec.own), version: String(own.version), confirm: "yes" }, onPage(rec.own));
      expect(early.body).toMatch(/"code":"too_early"/);
      for (const who of ["anonymous", "analyst"] as const) {
        expect(await run("renewRecordationAction", who, { id: String(rec.own), version: String(own.version), confirm: "yes" }, onPage(rec.own))).toBe(who === "anonymous" ? "login" : "forbidden");
      }
      expect(recRow(rec.own)).toEqual(own);
    });

    it("approveRecordationAction, updateRecordationAction, revokeRecordationAction: admin only", async () => {
      const id = one<{ id: number }>("select id from recordations where number = ?", recNumber("admin")).id;
      const version = () => String(recRow(id).version);
      await writeMatrix("approveRecordationAction", () => ({ id: String(id), version: version(), confirm: "yes" }), () => recRow(id).status === "approved");
      await writeMatrix(
        "updateRecordationAction",
        (who) => ({ ...recFields("admin", otherHolderId), id: String(id), version: version(), titleEn: `Edited by ${who}` }),
        (who) => one<{ t: string }>("select title_en as t from recordations where id = ?", id).t === `Edited by ${who}`,
      );
      await writeMatrix("revokeRecordationAction", () => ({ id: String(id), version: version(), confirm: "yes", reason: "Matrix" }), () => recRow(id).status === "revoked");
    });
  });

  describe("a case's files", () => {
    // a file each who may write adds to the member's own company's case (ids fresh each run)
    const fileRow = (id: number) => one<{ caption: string | null } | undefined>("select caption from case_attachments where id = ?", id);
    const upload = async (who: Who, onCase: number) =>
      fetch(`${baseURL()}/api/cases/${onCase}/attachments?name=matrix.pdf&kind=other`, {
        method: "POST",
        headers: { ...(await headersFor(who)), origin: baseURL() },
        body: "%PDF-1.4\n%%EOF\n",
      });

    it("POST /api/cases/{id}/attachments: anonymous 401, analyst 403; member 201 on its company's case and 404 on another's; admin 201 on any", async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) got[who] = (await upload(who, ownCase)).status;
      expect(got).toEqual({ anonymous: 401, member: 201, analyst: 403, admin: 201 });
      expect((await upload("member", otherCase)).status).toBe(404);
      expect((await upload("admin", otherCase)).status).toBe(201);
      // a cross-site upload is refused before anything else
      const forged = await fetch(`${baseURL()}/api/cases/${ownCase}/attachments?name=x.pdf`, {
        method: "POST", headers: { ...(await headersFor("admin")), origin: "https://evil.example" }, body: "%PDF-1.4\n",
      });
      expect(forged.status).toBe(403);
    });

    it("GET the list, a file and a thumbnail: the member only its company's files and customs' shared ones, else 404", async () => {
      const mine = one<{ id: number }>("select max(id) as id from case_attachments where case_id = ? and holder_id = ?", ownCase, holderId).id;
      const customs = one<{ id: number }>("select max(id) as id from case_attachments where case_id = ? and holder_id is null", ownCase).id;
      const foreign = one<{ id: number }>("select max(id) as id from case_attachments where case_id = ?", otherCase).id;
      const rows: [string, string, Record<Who, Outcome>][] = [
        ["list of own company's case", `/api/cases/${ownCase}/attachments`, api(200)],
        ["list of another company's case", `/api/cases/${otherCase}/attachments`, api(404)],
        ["list of no case", "/api/cases/99999999/attachments", api(404, 404)],
        ["the member's company's file", `/api/cases/${ownCase}/attachments/${mine}`, api(200)],
        ["customs' file, not shared", `/api/cases/${ownCase}/attachments/${customs}`, api(404)],
        ["its thumbnail (a PDF has none)", `/api/cases/${ownCase}/attachments/${customs}/thumbnail`, api(404, 404)],
        ["another company's case's file", `/api/cases/${otherCase}/attachments/${foreign}`, api(404)],
        ["a file named under another case", `/api/cases/${ownCase}/attachments/${foreign}`, api(404, 404)],
      ];
      for (const [name, path, expected] of rows) {
        const got: Record<string, Outcome> = {};
        for (const who of WHO) got[who] = await outcome(path, who);
        expect(got, name).toEqual(expected);
      }
    });

    it("updateAttachmentAction and removeAttachmentAction: a member on its company's files, admins on any; analysts and strangers refused", async () => {
      const mine = one<{ id: number }>("select max(id) as id from case_attachments where case_id = ? and holder_id = ?", ownCase, holderId).id;
      const got: Record<string, string> = {};
      for (const who of WHO) {
        got[who] = verdict(await invoke(actions.get("updateAttachmentAction")!, who, { caseId: String(ownCase), id: String(mine), kind: "other", caption: `By ${who}` }));
        expect(fileRow(mine)?.caption === `By ${who}`, `caption by ${who}`).toBe(who === "member" || who === "admin");
      }
      expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      // customs' file: the member's write finds nothing, nothing changes
      const customs = one<{ id: number }>("select max(id) as id from case_attachments where case_id = ? and holder_id is null", ownCase).id;
      const before = fileRow(customs);
      const refused = await invoke(actions.get("updateAttachmentAction")!, "member", { caseId: String(ownCase), id: String(customs), kind: "other", caption: "Taken over" });
      expect(refused.body).toMatch(/"error":"not_found"/);
      const removal = await invoke(actions.get("removeAttachmentAction")!, "member", { caseId: String(ownCase), id: String(customs), confirm: "yes" });
      expect(removal.body).toMatch(/"error":"not_found"/);
      expect(fileRow(customs)).toEqual(before);
      const removed: Record<string, string> = {};
      for (const who of WHO) {
        removed[who] = verdict(await invoke(actions.get("removeAttachmentAction")!, who, { caseId: String(ownCase), id: String(who === "admin" ? customs : mine), confirm: "yes" }));
      }
      expect(removed).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      expect([fileRow(mine), fileRow(customs)]).toEqual([undefined, undefined]);
    });
  });

  describe("authentication guides", () => {
    // the demo's guides: the member's company's (shared with all customs), another company's
    // shared with all customs, and another company's shared with chosen districts only
    let own = 0;
    let otherAll = 0;
    let otherDistricts = 0;
    const pairOf = (guide: number) => one<{ id: number }>("select min(id) as id from guide_pairs where guide_id = ?", guide).id;
    const guideRow = (id: number) => one<{ version: number; summary: string; holder: number } | undefined>("select version, summary_en as summary, holder_id as holder from guides where id = ?", id);
    const analystAccount = () => one<{ id: string }>("select id from user where email = 'analyst@demo.test'").id;
    const guideFields = (who: Who, holder = otherHolderId) => ({
      holderId: String(holder), brand: `Matrix ${who}`, titleEn: `Matrix guide ${suffix} ${who}`, titleZh: "矩阵测试指南", summaryEn: `By ${who}`,
      summaryZh: "测试", contact: "matrix@example.com", sharing: "all", "categories[]": ["toys"], recordations: "",
    });
    const png = async (colour: string) => (await import("sharp")).default({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();
    const uploadPair = async (who: Who, guide: number, origin = baseURL()) => {
      const form = new FormData();
      form.append("genuine", new Blob([new Uint8Array(await png("#114477"))], { type: "image/png" }), "g.png");
      form.append("fake", new Blob([new Uint8Array(await png("#774411"))], { type: "image/png" }), "f.png");
      form.append("feature", "label");
      form.append("markers", JSON.stringify([{ side: "fake", x: 10, y: 20, label: `matrix ${who}` }]));
      return (await fetch(`${baseURL()}/api/guides/${guide}/pairs`, { method: "POST", headers: { ...(await headersFor(who)), origin }, body: form })).status;
    };

    beforeAll(() => {
      own = one<{ id: number }>("select min(id) as id from guides where holder_id = ? and sharing = 'all'", holderId).id;
      otherAll = one<{ id: number }>("select min(id) as id from guides where holder_id <> ? and sharing = 'all'", holderId).id;
      otherDistricts = one<{ id: number }>("select min(id) as id from guides where holder_id <> ? and sharing = 'districts'", holderId).id;
      // the analyst belongs to no district here (the guides' own e2e file gives it one, then takes it back)
      const db = new Database(inject("databaseFile"), { fileMustExist: true });
      try {
        db.pragma("busy_timeout = 5000");
        db.prepare("update user set district_id = null where email = 'analyst@demo.test'").run();
      } finally {
        db.close();
      }
    });

    it("pages: the list for all; the member's own guide, another company's 404; a districts-only guide 404 to an officer of no district; forms for keepers", async () => {
      const rows: [string, string, Record<Who, Outcome>][] = [
        ["guides", "/guides", everyone(200)],
        ["guides, searched", "/guides?q=a&category=toys&recordation=T2016-00001&holder=1", everyone(200)],
        ["own company's guide", `/guides/${own}`, everyone(200)],
        ["its marker editor", `/guides/${own}?markers`, everyone(200)],
        ["another company's guide shared with all customs", `/guides/${otherAll}`, { anonymous: "login", member: 404, analyst: 200, admin: 200 }],
        ["another company's guide shared with chosen districts", `/guides/${otherDistricts}`, { anonymous: "login", member: 404, analyst: 404, admin: 200 }],
        ["no such guide", "/guides/99999999", { anonymous: "login", member: 404, analyst: 404, admin: 404 }],
        ["new guide form", "/guides/new", { anonymous: "login", member: 200, analyst: 403, admin: 200 }],
        ["edit own company's guide", `/guides/${own}/edit`, { anonymous: "login", member: 200, analyst: 403, admin: 200 }],
        ["edit another company's guide", `/guides/${otherAll}/edit`, { anonymous: "login", member: 404, analyst: 403, admin: 200 }],
        ["admin: an account (with its district)", `/admin/users/${analystAccount()}`, adminsOnly],
      ];
      for (const [name, path, expected] of rows) {
        const got: Record<string, Outcome> = {};
        for (const who of WHO) got[who] = await outcome(path, who);
        expect(got, name).toEqual(expected);
      }
    });

    it("GET a pair's pictures: as the guide itself (another company's, or not shared with the officer's district, 404)", async () => {
      const rows: [string, string, Record<Who, Outcome>][] = [
        ["own company's picture", `/api/guides/${own}/pairs/${pairOf(own)}/genuine`, api(200)],
        ["its thumbnail", `/api/guides/${own}/pairs/${pairOf(own)}/fake?thumbnail`, api(200)],
        ["another company's, shared with all customs", `/api/guides/${otherAll}/pairs/${pairOf(otherAll)}/fake`, api(404)],
        ["another company's, shared with chosen districts", `/api/guides/${otherDistricts}/pairs/${pairOf(otherDistricts)}/genuine`, { anonymous: 401, member: 404, analyst: 404, admin: 200 }],
        ["a pair named under another guide", `/api/guides/${own}/pairs/${pairOf(otherAll)}/genuine`, api(404, 404)],
        ["no such side", `/api/guides/${own}/pairs/${pairOf(own)}/other`, api(404, 404)],
      ];
      for (const [name, path, expected] of rows) {
        const got: Record<string, Outcome> = {};
        for (const who of WHO) got[who] = await outcome(path, who);
        expect(got, name).toEqual(expected);
      }
    });

    it("POST /api/guides/{id}/pairs: anonymous 401, analyst 403; member 201 on its company's guide and 404 on another's; admin 201 on any; cross-site 403", async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) got[who] = await uploadPair(who, own);
      expect(got).toEqual({ anonymous: 401, member: 201, analyst: 403, admin: 201 });
      const pairs = one<{ n: number }>("select count(*) as n from guide_pairs where guide_id = ?", otherAll).n;
      expect(await uploadPair("member", otherAll)).toBe(404);
      expect(await uploadPair("admin", otherAll, "https://evil.example")).toBe(403);
      expect(one<{ n: number }>("select count(*) as n from guide_pairs where guide_id = ?", otherAll).n).toBe(pairs);
    });

    it("createGuideAction, updateGuideAction: a member for its own company, admins for any; analysts and strangers refused", async () => {
      const created = (who: Who) => one<{ id: number; holder: number } | undefined>("select id, holder_id as holder from guides where title_en = ?", `Matrix guide ${suffix} ${who}`);
      const got: Record<string, string> = {};
      for (const who of WHO) got[who] = verdict(await invoke(actions.get("createGuideAction")!, who, guideFields(who)));
      expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      expect([created("anonymous"), created("analyst")]).toEqual([undefined, undefined]);
      // the member's guide is its own company's, whatever holder the form named
      expect(created("member")!.holder).toBe(holderId);
      expect(created("admin")!.holder).toBe(otherHolderId);
      const mine = created("member")!.id;
      const updated: Record<string, string> = {};
      for (const who of WHO) {
        const version = String(guideRow(mine)!.version);
        updated[who] = verdict(await invoke(actions.get("updateGuideAction")!, who, { ...guideFields("member"), id: String(mine), version, summaryEn: `Edited by ${who}` }, `/guides/${mine}/edit`));
        expect(guideRow(mine)!.summary === `Edited by ${who}`, `edited by ${who}`).toBe(who === "member" || who === "admin");
      }
      expect(updated).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      // another company's guide: the member's edit finds nothing, nothing changes
      const before = guideRow(otherAll)!;
      const taken = await invoke(actions.get("updateGuideAction")!, "member", { ...guideFields("member"), id: String(otherAll), version: String(before.version), summaryEn: "Taken over" }, `/guides/${own}/edit`);
      expect(taken.body).toMatch(/"error":"not_found"/);
      expect(guideRow(otherAll)).toEqual(before);
    });

    it("updateGuidePairAction, removeGuidePairAction: a member on its own company's pairs, admins on any; analysts and strangers refused", async () => {
      const pairs = (guide: number) => (one<{ ids: string | null }>("select group_concat(id) as ids from guide_pairs where guide_id = ?", guide).ids ?? "").split(",").filter(Boolean).map(Number);
      const ownPair = Math.max(...pairs(own));
      const markersOf = (pair: number) => one<{ m: string } | undefined>("select markers as m from guide_pairs where id = ?", pair)?.m;
      const got: Record<string, string> = {};
      for (const who of WHO) {
        const markers = JSON.stringify([{ side: "genuine", x: 5, y: 5, label: `by ${who}` }]);
        got[who] = verdict(await invoke(actions.get("updateGuidePairAction")!, who, { guideId: String(own), pairId: String(ownPair), feature: "label", captionEn: "", captionZh: "", markers }, `/guides/${own}`));
        expect(markersOf(ownPair)?.includes(`by ${who}`), `markers by ${who}`).toBe(who === "member" || who === "admin");
      }
      expect(got).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      const foreignPair = pairOf(otherAll);
      const foreignMarkers = markersOf(foreignPair);
      const taken = await invoke(actions.get("updateGuidePairAction")!, "member", { guideId: String(otherAll), pairId: String(foreignPair), feature: "label", captionEn: "", captionZh: "", markers: "[]" }, `/guides/${own}`);
      expect(taken.body).toMatch(/"error":"not_found"/);
      const removalTaken = await invoke(actions.get("removeGuidePairAction")!, "member", { guideId: String(otherAll), pairId: String(foreignPair), confirm: "yes" }, `/guides/${own}`);
      expect(removalTaken.body).toMatch(/"error":"not_found"/);
      expect(markersOf(foreignPair)).toBe(foreignMarkers);
      // the pairs the matrix uploaded, removed: one by the member, one by the admin
      const [first, second] = pairs(own).slice(-2);
      const removed: Record<string, string> = {};
      for (const who of WHO) {
        removed[who] = verdict(await invoke(actions.get("removeGuidePairAction")!, who, { guideId: String(own), pairId: String(who === "admin" ? second : first), confirm: "yes" }, `/guides/${own}`));
      }
      expect(removed).toEqual({ anonymous: "login", member: "ran", analyst: "forbidden", admin: "ran" });
      expect([markersOf(first!), markersOf(second!)]).toEqual([undefined, undefined]);
    });

    it("setAccountDistrictAction: admin only", async () => {
      const account = analystAccount();
      const district = () => one<{ d: number | null }>("select district_id as d from user where id = ?", account).d;
      const beijing = one<{ id: number }>("select id from customs_offices where code = '0100'").id;
      await writeMatrix("setAccountDistrictAction", () => ({ userId: account, district: "0100" }), () => district() === beijing);
      // and back to none, as the other files expect
      await invoke(actions.get("setAccountDistrictAction")!, "admin", { userId: account, district: "" }, `/admin/users/${account}`);
      expect(district()).toBeNull();
      // a member account has no district
      const memberAccount = one<{ id: string }>("select id from user where email = 'member@demo.test'").id;
      const refused = await invoke(actions.get("setAccountDistrictAction")!, "admin", { userId: memberAccount, district: "0100" }, `/admin/users/${memberAccount}`);
      expect(refused.body).toMatch(/district_staff_only/);
    });
  });

  it("createTokenAction, revokeMyTokenAction: anyone signed in, its own tokens only; revokeAnyTokenAction: admin only; a bearer token opens no page and runs no action", async () => {
    const tokens: Partial<Record<Who, string>> = {};
    const created: Record<string, string> = {};
    for (const who of WHO) {
      const answer = await invoke(actions.get("createTokenAction")!, who, { name: `Matrix ${who} ${suffix}`, days: "30" }, "/account");
      created[who] = verdict(answer);
      tokens[who] = /bet_[A-Za-z0-9_-]{43}/.exec(answer.body)?.[0];
      expect(tokens[who] !== undefined, `token for ${who}`).toBe(who !== "anonymous");
    }
    expect(created).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    const idOf = (who: DemoRole) =>
      one<{ id: number }>("select t.id from api_tokens t join user u on u.id = t.user_id where u.email = ? and t.name = ?", `${who}@demo.test`, `Matrix ${who} ${suffix}`).id;
    const revoked = (id: number) => one<{ r: number | null }>("select revoked_at as r from api_tokens where id = ?", id).r !== null;
    const bearer = (who: DemoRole) => ({ authorization: `Bearer ${tokens[who]}` });

    // a bearer token, without the session cookie: the API reads as its user; pages, actions and
    // the cookie-only routes (writes, the backup) do not take it
    const status = async (path: string, who: DemoRole) => {
      const response = await fetch(`${baseURL()}${path}`, { headers: bearer(who), redirect: "manual" });
      return response.status === 307 && /\/login(\?|$)/.test(response.headers.get("location") ?? "") ? "login" : response.status;
    };
    const withToken: Record<string, unknown> = {};
    for (const path of ["/", "/account", "/admin/tokens", "/api/cases", `/api/cases/${otherCase}`, "/api/stats?district=8600", "/api/report?format=xlsx&district=8600", "/api/admin/backup"]) {
      withToken[path] = { member: await status(path, "member"), admin: await status(path, "admin") };
    }
    expect(withToken).toEqual({
      "/": { member: "login", admin: "login" },
      "/account": { member: "login", admin: "login" },
      "/admin/tokens": { member: "login", admin: "login" },
      "/api/cases": { member: 200, admin: 200 },
      [`/api/cases/${otherCase}`]: { member: 404, admin: 200 },
      "/api/stats?district=8600": { member: 200, admin: 200 },
      "/api/report?format=xlsx&district=8600": { member: 200, admin: 200 },
      "/api/admin/backup": { member: 401, admin: 401 },
    });
    const byToken = await fetch(`${baseURL()}/account`, {
      method: "POST",
      redirect: "manual",
      headers: { ...bearer("admin"), "next-action": actions.get("createTokenAction")!.id, accept: "text/x-component", origin: baseURL() },
      body: (await encodeReply([null, (() => { const f = new FormData(); f.append("name", "by token"); f.append("days", "30"); return f; })()])) as BodyInit,
    });
    expect(byToken.status).toBe(307);
    expect(one<{ n: number }>("select count(*) as n from api_tokens where name = 'by token'").n).toBe(0);

    // the own path finds only the own tokens
    const analysts = idOf("analyst");
    const refused = await invoke(actions.get("revokeMyTokenAction")!, "member", { id: String(analysts) }, "/account");
    expect(refused.body).toMatch(/"code":"not_found"/);
    expect(revoked(analysts)).toBe(false);
    const own: Record<string, string> = {};
    for (const who of WHO) {
      const id = who === "anonymous" ? analysts : idOf(who);
      own[who] = verdict(await invoke(actions.get("revokeMyTokenAction")!, who, { id: String(id) }, "/account"));
      if (who !== "anonymous") expect(revoked(id), `revoked by ${who}`).toBe(true);
    }
    expect(own).toEqual({ anonymous: "login", member: "ran", analyst: "ran", admin: "ran" });
    const gone = await fetch(`${baseURL()}/api/cases`, { headers: bearer("member") });
    expect(gone.status).toBe(401);
    expect(((await gone.json()) as { error: string }).error).toBe("token_revoked");

    // an admin revokes anyone's; nobody else can
    const fresh = await invoke(actions.get("createTokenAction")!, "member", { name: `Matrix any ${suffix}`, days: "30" }, "/account");
    expect(verdict(fresh)).toBe("ran");
    const target = one<{ id: number }>("select id from api_tokens where name = ?", `Matrix any ${suffix}`).id;
    await writeMatrix("revokeAnyTokenAction", () => ({ id: String(target) }), () => revoked(target));
  });

  it("setLocale and signIn: anyone, on the login page too; changePassword and signOut: only with a session", async () => {
    for (const who of WHO) {
      const path = who === "anonymous" ? "/login" : "/";
      const locale = await invoke(actions.get("setLocale")!, who, { locale: "zh" }, path, true);
      expect(locale.setCookie.some((c) => c.startsWith("NEXT_LOCALE=zh")), `setLocale as ${who}`).toBe(true);
      const signIn = await invoke(actions.get("signIn")!, who, { email: "nobody@demo.test", password: "wrong-password-1", next: "/" }, "/login");
      expect(signIn.body, `signIn as ${who}`).toMatch(/"error":"invalid"/);
      const change = await invoke(actions.get("changePassword")!, who, { current: "wrong-password-1", new: "another-password-1", repeat: "another-password-1" }, path);
      expect(verdict(change) === "login" || /"error":"signedOut"/.test(change.body) ? "refused" : "ran", `changePassword as ${who}`).toBe(
        who === "anonymous" ? "refused" : "ran",
      );
    }
    // signing out ends the session it is sent with (a fresh one here, not the shared cookie)
    const fresh = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL() },
      body: JSON.stringify({ email: "analyst@demo.test", password: "demo-password" }),
    });
    const cookie = fresh.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
    const form = new FormData();
    const out = await fetch(`${baseURL()}/`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "next-action": actions.get("signOut")!.id, accept: "text/x-component", origin: baseURL() },
      body: (await encodeReply([form])) as BodyInit,
    });
    expect(out.status).toBeLessThan(500);
    const session = await fetch(`${baseURL()}/api/auth/get-session`, { headers: { cookie } });
    expect(await session.json()).toBeNull();
  });
});
