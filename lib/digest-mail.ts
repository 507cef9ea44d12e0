import { createTranslator } from "use-intl/core";
import en from "../messages/en.json";
import zh from "../messages/zh.json";
import { goodsCategories, type GoodsCategory, type Locale } from "./enums";
import { formatChange, formatCount, formatDate, formatMoney, yuanText } from "./format";
import type { Frequency } from "./digest-period";

// The digest e-mail of a subscription (issue 20, item 3): the view's name, its filters in
// words, its key figures for the period against the comparison with the differences (value
// exact to the fen), the largest new cases, a link to the view and a one-click unsubscribe
// (RFC 8058 headers and a link in the body). Texts from the "subscriptions" namespace through
// use-intl/core (never next-intl's root: the scanner runs this in server processes).

export type DigestFigures = { cases: number; pieces: number; valueFen: number };
export type DigestCase = {
  caseNo: string; seizedOn: string; office: { code: string; nameEn: string; nameZh: string };
  goodsCategory: GoodsCategory; goodsDescription: string; pieces: number; valueFen: number;
  rightHolders: { name: string; nameZh: string | null }[]; url: string;
};
export type DigestContent = {
  viewName: string;
  frequency: Frequency;
  period: { from: string; to: string };
  comparison: { kind: "prev" | "yoy" | "custom"; from: string; to: string };
  /** the view's filters in words (its dates aside), both languages; `dates`: the view has dates of its own */
  filters: { en: { label: string; value: string }[]; zh: { label: string; value: string }[]; dates: boolean };
  current: DigestFigures;
  previous: DigestFigures;
  newCases: DigestCase[];
  viewUrl: string;
};
export type DigestMail = { subject: string; text: string; html: string; headers: Record<string, string> };

const catalogs = { en, zh } as const;
const translator = (locale: Locale) => createTranslator({ locale, messages: catalogs[locale], namespace: "subscriptions.mail", timeZone: "Asia/Shanghai" });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const latin = (s: string) => /[A-Za-z]{2}/.test(s) && !/[\u3400-\u9fff]/.test(s);
/** an element's lang for Latin data in a Chinese mail */
const langOf = (s: string, locale: Locale) => (locale === "zh" && latin(s) ? ` lang="en"` : "");

export function periodText(from: string, to: string, locale: Locale): string {
  return `${formatDate(from, locale)} – ${formatDate(to, locale)}`;
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, "")}` : text);

/** The figures' rows: label, this period, comparison, difference (with the change in %). */
export function digestRows(content: DigestContent, locale: Locale): { label: string; current: string; previous: string; difference: string }[] {
  const t = translator(locale);
  const row = (label: string, a: number, b: number, fmt: (n: number) => string) => {
    const change = formatChange(a, b, locale);
    return { label, current: fmt(a), previous: fmt(b), difference: `${signed(a - b, fmt(Math.abs(a - b)))}${change ? ` (${change})` : ""}` };
  };
  const { current: c, previous: p } = content;
  return [
    row(t("cases"), c.cases, p.cases, (n) => formatCount(n, locale)),
    row(t("pieces"), c.pieces, p.pieces, (n) => formatCount(n, locale)),
    row(t("value"), c.valueFen, p.valueFen, (n) => yuanText(n, { group: locale })),
  ];
}

export function digestMail(locale: Locale, who: { name: string; unsubscribeUrl: string }, content: DigestContent): DigestMail {
  const t = translator(locale);
  const period = periodText(content.period.from, content.period.to, locale);
  const subject = t("subject", { frequency: content.frequency, name: content.viewName, period });
  const intro = t("intro", { frequency: content.frequency, name: content.viewName, period });
  const filters = content.filters[locale];
  const comparison = t("comparison", { kind: content.comparison.kind, period: periodText(content.comparison.from, content.comparison.to, locale) });
  const rows = digestRows(content, locale);
  const holderName = (h: { name: string; nameZh: string | null }) => (locale === "zh" && h.nameZh ? h.nameZh : h.name);
  const caseLine = (c: DigestCase) => {
    const office = locale === "zh" ? c.office.nameZh : c.office.nameEn;
    const category = goodsCategories.labels[c.goodsCategory]?.[locale] ?? c.goodsCategory;
    return [c.caseNo, t("seized", { date: formatDate(c.seizedOn, locale) }), office, category, t("piecesOf", { count: c.pieces }), formatMoney(c.valueFen, locale)];
  };
  const sep = locale === "zh" ? "；" : "; ";

  // ---- text -----
  const text: string[] = [t("greeting", { name: who.name }), intro, `${t("filters")}:`];
  text.push(...(filters.length ? filters.map((f) => `  ${f.label}${locale === "zh" ? "：" : ": "}${f.value}`) : [`  ${t("noFilters")}`]));
  if (content.filters.dates) text.push(t("dates"));
  text.push(`${t("kpis")} (${comparison})`);
  for (const r of rows) text.push(`  ${r.label}: ${r.current} | ${t("previous")} ${r.previous} | ${t("difference")} ${r.difference}`);
  text.push(`${t("newCases")}:`);
  if (!content.newCases.length) text.push(`  ${t("noNewCases")}`);
  for (const c of content.newCases) {
    const [no, ...rest] = caseLine(c);
    text.push(`  ${no}: ${rest.join(sep)}`, `    ${c.goodsDescription}`, ...(c.rightHolders.length ? [`    ${c.rightHolders.map(holderName).join(", ")}`] : []), `    ${c.url}`);
  }
  text.push(`${t("open")}:\n${content.viewUrl}`, t("why"), `${t("unsubscribe")}:\n${who.unsubscribeUrl}`, t("signature"));

  // ---- html -----
  const cell = (s: string, tag = "td", extra = "") => `<${tag}${extra} style="padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: ${tag === "th" && !extra ? "left" : "right"}">${escapeHtml(s)}</${tag}>`;
  const html = [
    `<!doctype html><html lang="${locale === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 44rem">`,
    `<p>${escapeHtml(t("greeting", { name: who.name }))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h2 style="font-size: 1.1em">${escapeHtml(t("filters"))}</h2>`,
    filters.length
      ? `<ul>${filters.map((f) => `<li>${escapeHtml(f.label)}${locale === "zh" ? "：" : ": "}<span${langOf(f.value, locale)}>${escapeHtml(f.value)}</span></li>`).join("")}</ul>`
      : `<p>${escapeHtml(t("noFilters"))}</p>`,
    content.filters.dates ? `<p style="font-size: 0.9em">${escapeHtml(t("dates"))}</p>` : "",
    `<h2 style="font-size: 1.1em">${escapeHtml(t("kpis"))}</h2>`,
    `<table style="border-collapse: collapse"><caption style="text-align: left; padding-bottom: 4px">${escapeHtml(comparison)}</caption>`,
    `<thead><tr>${cell(t("figure"), "th", ' scope="col"').replace("text-align: right", "text-align: left")}${cell(t("current"), "th", ' scope="col"')}${cell(t("previous"), "th", ' scope="col"')}${cell(t("difference"), "th", ' scope="col"')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${cell(r.label, "th", ' scope="row"').replace("text-align: right", "text-align: left")}${cell(r.current)}${cell(r.previous)}${cell(r.difference)}</tr>`).join("")}</tbody></table>`,
    `<h2 style="font-size: 1.1em">${escapeHtml(t("newCases"))}</h2>`,
    content.newCases.length
      ? `<ol>${content.newCases
          .map((c) => {
            const [no, ...rest] = caseLine(c);
            const holders = c.rightHolders.map(holderName).join(", ");
            return `<li><a href="${escapeHtml(c.url)}">${escapeHtml(no!)}</a>: ${escapeHtml(rest.join(sep))}<br><span${langOf(c.goodsDescription, locale)}>${escapeHtml(c.goodsDescription)}</span>${holders ? `<br><span${langOf(holders, locale)}>${escapeHtml(holders)}</span>` : ""}</li>`;
          })
          .join("")}</ol>`
      : `<p>${escapeHtml(t("noNewCases"))}</p>`,
    `<p><a href="${escapeHtml(content.viewUrl)}">${escapeHtml(t("open"))}</a></p>`,
    `<p style="font-size: 0.9em; color: #555">${escapeHtml(t("why"))} <a href="${escapeHtml(who.unsubscribeUrl)}">${escapeHtml(t("unsubscribe"))}</a></p>`,
    `<p>${escapeHtml(t("signature"))}</p>`,
    "</body></html>",
  ].join("\n");
  return {
    subject,
    text: text.join("\n\n") + "\n",
    html,
    // RFC 8058: a mail client's one-click unsubscribe POSTs "List-Unsubscribe=One-Click" to this address
    headers: { "List-Unsubscribe": `<${who.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
