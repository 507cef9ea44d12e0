import { donutArc, niceScale, PALETTE, shareText, type PartialYear } from "../../../lib/chart-scale";
import type { Locale } from "../../../lib/enums";
import { formatCount, intlLocaleOf } from "../../../lib/format";
import { translator, type ReportChart, type ReportRow } from "./model";

// The dashboard's charts at fixed sizes as SVG markup, for the PDF report (svg-to-pdfkit draws
// them as vector graphics). The same arithmetic as components/dashboard/charts.tsx — round axis
// steps (niceScale), the Okabe–Ito palette, the donut's arcs and shares (lib/chart-scale.ts) —
// but self-contained: the dashboard's charts lay out their labels in HTML and CSS, which no
// PDF can hold. Text is drawn in the font family "Report" (components/reports/draw/pdf.ts maps it to the
// embedded CJK font).

const BAR = PALETTE[0]!;
const LINE = PALETTE[5]!;
const GRID = "#d0d7de";
const INK = "#1f2328";
const MUTED = "#57606a";
const FONT = `font-family="Report"`;

export type Svg = { markup: string; width: number; height: number };

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Roughly how wide a text is at a font size: a CJK character a full em, Latin ones about half. */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? size : /[A-Z0-9]/.test(ch) ? size * 0.62 : size * 0.52;
  return w;
}

/** The text cut with "…" to fit a width. */
export function fit(s: string, size: number, width: number): string {
  if (textWidth(s, size) <= width) return s;
  let out = "";
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

const text = (x: number, y: number, s: string, attrs = "") =>
  `<text x="${x.toFixed(2)}" y="${y.toFixed(2)}" ${FONT} ${attrs}>${escapeXml(s)}</text>`;

/** Axis text: "2.5M" / "250万". */
function compact(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocaleOf(locale), { notation: "compact", maximumFractionDigits: 2 }).format(n);
}

/** Cases per year as bars (left axis), value in yuan as a line (right axis); a partly covered year hatched lighter and dashed. */
export function yearSvg(chart: ReportChart, locale: Locale, width: number): Svg {
  const t = translator(locale, "dashboard.charts");
  const data = chart.rows;
  const left = 48, right = 58, top = 10, plot = 170;
  const plotWidth = width - left - right;
  const n = Math.max(1, data.length);
  const cases = niceScale(Math.max(0, ...data.map((d) => d.cases)), 5, true);
  const yuan = niceScale(Math.max(0, ...data.map((d) => d.valueFen / 100)), 5);
  const yCases = (v: number) => top + plot - (v / cases.max) * plot;
  const yValue = (fen: number) => top + plot - (fen / 100 / yuan.max) * plot;
  const x = (i: number) => left + ((i + 0.5) / n) * plotWidth;
  const partial = chart.partial ?? new Map<number, PartialYear>();
  const partText = (p: PartialYear) => (p.from && p.to ? t("year.between", { from: p.from, to: p.to }) : p.from ? t("year.from", { from: p.from }) : t("year.to", { to: p.to! }));
  // the dashboard's hatching of a year the period covers in part
  const parts: string[] = [
    `<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)"><rect width="5" height="5" fill="${BAR}" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="5" stroke="${BAR}" stroke-width="2.5"/></pattern></defs>`,
  ];
  for (const v of cases.ticks) {
    parts.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${yCases(v).toFixed(2)}" y2="${yCases(v).toFixed(2)}" stroke="${GRID}" stroke-width="0.6"/>`);
    parts.push(text(left - 4, yCases(v) + 3, formatCount(v, locale), `font-size="7.5" fill="${MUTED}" text-anchor="end"`));
  }
  for (const v of yuan.ticks) parts.push(text(left + plotWidth + 4, yValue(v * 100) + 3, compact(v, locale), `font-size="7.5" fill="${MUTED}"`));
  const labelEvery = Math.ceil(n / 16);
  data.forEach((d, i) => {
    const y = yCases(d.cases);
    // a bar is 60 % of its slot, at most 56 pt wide (one year alone is not a wall)
    const w = Math.min((0.6 / n) * plotWidth, 56);
    const part = partial.get(Number(d.key));
    parts.push(
      part
        ? `<rect x="${(x(i) - w / 2).toFixed(2)}" y="${y.toFixed(2)}" width="${w.toFixed(2)}" height="${(top + plot - y).toFixed(2)}" fill="url(#hatch)" stroke="${BAR}" stroke-width="1" stroke-dasharray="3 2"/>`
        : `<rect x="${(x(i) - w / 2).toFixed(2)}" y="${y.toFixed(2)}" width="${w.toFixed(2)}" height="${(top + plot - y).toFixed(2)}" fill="${BAR}"/>`,
    );
    if (i % labelEvery === 0) parts.push(text(x(i), top + plot + 11, d.label, `font-size="7.5" fill="${INK}" text-anchor="middle"`));
    if (part) parts.push(text(x(i), top + plot + 20, partText(part), `font-size="6.5" fill="${MUTED}" text-anchor="middle"`));
  });
  data.slice(1).forEach((d, k) => {
    const a = data[k]!;
    const dashed = partial.has(Number(a.key)) || partial.has(Number(d.key));
    parts.push(
      `<line x1="${x(k).toFixed(2)}" y1="${yValue(a.valueFen).toFixed(2)}" x2="${x(k + 1).toFixed(2)}" y2="${yValue(d.valueFen).toFixed(2)}" stroke="${LINE}" stroke-width="1.8"${dashed ? ` stroke-dasharray="5 3"` : ""}/>`,
    );
  });
  data.forEach((d, i) => {
    parts.push(`<circle cx="${x(i).toFixed(2)}" cy="${yValue(d.valueFen).toFixed(2)}" r="2.6" stroke="${LINE}" stroke-width="1.4" fill="${partial.has(Number(d.key)) ? "#ffffff" : LINE}"/>`);
  });
  parts.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${top + plot}" y2="${top + plot}" stroke="${MUTED}" stroke-width="0.8"/>`);
  // legend
  const ly = top + plot + (partial.size ? 34 : 26);
  let lx = left;
  parts.push(`<rect x="${lx}" y="${ly - 7}" width="10" height="8" fill="${BAR}"/>`);
  parts.push(text(lx + 14, ly, t("cases"), `font-size="8" fill="${INK}"`));
  lx += 22 + textWidth(t("cases"), 8);
  parts.push(`<line x1="${lx}" x2="${lx + 14}" y1="${ly - 3}" y2="${ly - 3}" stroke="${LINE}" stroke-width="1.8"/>`);
  parts.push(text(lx + 18, ly, t("valueYuan"), `font-size="8" fill="${INK}"`));
  lx += 26 + textWidth(t("valueYuan"), 8);
  if (partial.size) {
    parts.push(`<rect x="${lx}" y="${ly - 7}" width="10" height="8" fill="url(#hatch)" stroke="${BAR}" stroke-dasharray="3 2"/>`);
    parts.push(text(lx + 14, ly, t("year.partialKey"), `font-size="8" fill="${INK}"`));
  }
  const height = ly + 6;
  return { markup: svg(width, height, parts), width, height };
}

/** Horizontal bars by cases, largest first (an "others" bar last), each with its figure written. */
export function barsSvg(chart: ReportChart, locale: Locale, width: number): Svg {
  const rows = chart.rows;
  const rowHeight = 16, labelWidth = 180, valueWidth = 60;
  const max = Math.max(0, ...rows.map((r) => r.cases));
  const track = width - labelWidth - valueWidth - 12;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = i * rowHeight;
    parts.push(text(0, y + 11, fit(r.label, 8, labelWidth - 4), `font-size="8" fill="${INK}"`));
    const w = max ? (r.cases / max) * track : 0;
    parts.push(`<rect x="${labelWidth}" y="${y + 3}" width="${Math.max(w, 0.5).toFixed(2)}" height="10" rx="1.5" fill="${r.key === "others" ? MUTED : BAR}"/>`);
    parts.push(text(width, y + 11, formatCount(r.cases, locale), `font-size="8" fill="${INK}" text-anchor="end"`));
  });
  const height = Math.max(rowHeight, rows.length * rowHeight);
  return { markup: svg(width, height, parts), width, height };
}

/** A donut of shares of cases with its legend (shares add up to exactly 100.0 %). */
export function donutSvg(chart: ReportChart, locale: Locale, width: number): Svg {
  const t = translator(locale, "dashboard.charts");
  const rows = chart.rows;
  const size = 150, c = size / 2, r = 68, inner = 41;
  const total = rows.reduce((s, d) => s + d.cases, 0);
  const parts: string[] = [];
  let angle = 0;
  rows.forEach((d: ReportRow, i) => {
    const sweep = total ? (d.cases / total) * 2 * Math.PI : 0;
    const from = angle;
    angle += sweep;
    const path = sweep >= 2 * Math.PI - 1e-9 ? `${donutArc(0, Math.PI, r, inner, c)} ${donutArc(Math.PI, 2 * Math.PI, r, inner, c)}` : donutArc(from, angle, r, inner, c);
    parts.push(`<path d="${path}" fill="${PALETTE[i % PALETTE.length]}" stroke="#ffffff" stroke-width="1"/>`);
  });
  parts.push(text(c, c + 1, formatCount(total, locale), `font-size="13" font-weight="bold" fill="${INK}" text-anchor="middle"`));
  parts.push(text(c, c + 14, t("cases"), `font-size="8" fill="${MUTED}" text-anchor="middle"`));
  const lx = size + 24;
  rows.forEach((d, i) => {
    const y = 20 + i * 18;
    parts.push(`<rect x="${lx}" y="${y - 8}" width="9" height="9" rx="1.5" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(text(lx + 14, y, fit(d.label, 8.5, 150), `font-size="8.5" fill="${INK}"`));
    parts.push(text(lx + 220, y, shareText(d.sharePerMille ?? 0, intlLocaleOf(locale)), `font-size="8.5" fill="${INK}" text-anchor="end"`));
    parts.push(text(lx + 290, y, formatCount(d.cases, locale), `font-size="8.5" fill="${MUTED}" text-anchor="end"`));
  });
  const height = Math.max(size, 20 + rows.length * 18);
  return { markup: svg(width, height, parts), width, height };
}

export function chartSvg(chart: ReportChart, locale: Locale, width: number): Svg {
  return chart.kind === "year" ? yearSvg(chart, locale, width) : chart.kind === "donut" ? donutSvg(chart, locale, width) : barsSvg(chart, locale, width);
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}

