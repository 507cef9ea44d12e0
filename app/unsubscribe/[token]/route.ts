import { createTranslator } from "use-intl/core";
import en from "@/messages/en.json";
import zh from "@/messages/zh.json";
import { tokenSubscription, unsubscribeWithToken } from "@/db/repo/subscriptions";
import type { Locale } from "@/lib/enums";

// The unsubscribe link of a digest e-mail (issue 20, item 3), without signing in: the token is
// the proof, and it stops that one subscription only (db/subscriptions.ts).
//   GET  shows what the link stops and one button: a link scanner that follows the link
//        changes nothing.
//   POST to the same address unsubscribes at once: the button's form, and a mail client's
//        one-click unsubscribe (RFC 8058: "List-Unsubscribe=One-Click", from the mail's headers).
// A used or unknown token gets a page that says so (404). The page is in the subscriber's
// language (an unknown token's: the language cookie, else the browser's).

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };
const catalogs = { en, zh } as const;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const latinLang = (s: string) => (/[A-Za-z]{2}/.test(s) && !/[\u3400-\u9fff]/.test(s) ? ` lang="en"` : "");

function requestLocale(request: Request): Locale {
  const cookie = /(?:^|;\s*)NEXT_LOCALE=(en|zh)/.exec(request.headers.get("cookie") ?? "");
  if (cookie) return cookie[1] as Locale;
  return /^\s*zh/i.test(request.headers.get("accept-language") ?? "") ? "zh" : "en";
}

function page(locale: Locale, status: number, body: string): Response {
  const t = createTranslator({ locale, messages: catalogs[locale], namespace: "subscriptions.unsubscribe" });
  const html = `<!doctype html>
<html lang="${locale === "zh" ? "zh-CN" : "en"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(t("title"))}</title>
<style>
  body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
  main { max-width: 36rem; margin: 4rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.5rem; }
  button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 4px; border: 1px solid #8a1c1c; background: #8a1c1c; color: #fff; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  a { color: #1d4ed8; }
  .muted { color: #4a4a4a; }
</style></head>
<body><main>
<h1>${escapeHtml(t("title"))}</h1>
${body}
<p><a href="/views">${escapeHtml(t("manage"))}</a></p>
</main></body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" },
  });
}

const say = (locale: Locale, key: "unknown" | "question" | "only" | "button" | "done", values?: Record<string, string>) =>
  createTranslator({ locale, messages: catalogs[locale], namespace: "subscriptions.unsubscribe" })(key, values);

export async function GET(request: Request, { params }: Params): Promise<Response> {
  const { token } = await params;
  const found = await tokenSubscription(token);
  if (!found) {
    const locale = requestLocale(request);
    return page(locale, 404, `<p role="alert" data-testid="unsubscribe-unknown">${escapeHtml(say(locale, "unknown"))}</p>`);
  }
  const { locale } = found;
  const question = escapeHtml(say(locale, "question", { frequency: found.frequency, name: "\u0000", email: "\u0001" }))
    .replace("\u0000", `<span${latinLang(found.viewName)}>${escapeHtml(found.viewName)}</span>`)
    .replace("\u0001", `<span lang="en">${escapeHtml(found.email)}</span>`);
  return page(locale, 200, `<p data-testid="unsubscribe-question">${question}</p>
<p class="muted">${escapeHtml(say(locale, "only"))}</p>
<form method="post"><button type="submit" name="confirm" value="yes" data-testid="unsubscribe-button">${escapeHtml(say(locale, "button"))}</button></form>`);
}

export async function POST(request: Request, { params }: Params): Promise<Response> {
  const { token } = await params;
  const done = await unsubscribeWithToken(token);
  if (!done) {
    const locale = requestLocale(request);
    return page(locale, 404, `<p role="alert" data-testid="unsubscribe-unknown">${escapeHtml(say(locale, "unknown"))}</p>`);
  }
  return page(done.locale, 200, `<p role="status" data-testid="unsubscribe-done">${escapeHtml(say(done.locale, "done"))}</p>`);
}
