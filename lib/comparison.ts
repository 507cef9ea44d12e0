import type { Locale } from "./enums";
import { formatCount, formatMoney, intlLocaleOf } from "./format";

// The arithmetic and the words of the dashboard's chosen comparison (issue 20, item 2): the
// difference of two figures in absolute terms and per cent, and a period written readably in
// both languages ("Q1 2024", "2024年第1季度"). Pure functions, unit-tested.

export type Difference = {
  /** now − before (fen for money: exact); null when either is missing */
  absolute: number | null;
  /** (now − before) / before × 100; null when the base is 0 or missing (no per cent of nothing) */
  percent: number | null;
};

export function difference(now: number | null, before: number | null): Difference {
  if (now === null || before === null) return { absolute: null, percent: null };
  return { absolute: now - before, percent: before === 0 ? null : ((now - before) / before) * 100 };
}

// the minus of the product's other signed figures (Intl's, as in formatChange)
const MINUS = "-";

/** A signed count: "+1,234", "-56", "0". */
export function signedCount(n: number, locale: Locale): string {
  return n > 0 ? `+${formatCount(n, locale)}` : n < 0 ? `${MINUS}${formatCount(-n, locale)}` : formatCount(0, locale);
}

/** A signed amount exact to the fen: "+RMB 1,234.56", "-¥0.01". */
export function signedMoney(fen: number, locale: Locale): string {
  return fen > 0 ? `+${formatMoney(fen, locale)}` : fen < 0 ? `${MINUS}${formatMoney(-fen, locale)}` : formatMoney(0, locale);
}

/** A signed per cent with one decimal at most: "+12.3%", "-4%", "0%" (as formatChange). */
export function signedPercent(percent: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocaleOf(locale), { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(percent / 100);
}

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MON_EN = MONTHS_EN.map((m) => m.slice(0, 3));
const QUARTER_ZH = ["一", "二", "三", "四"];

function split(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * A period in words: "2023", "2013–2015", "Q1 2024", "March 2024", "Jan – Mar 2024",
 * "1 Jan – 14 Mar 2024", "15 Mar 2023 – 14 Mar 2024"; in Chinese "2023年", "2024年第一季度",
 * "2024年3月", "2024年1月–3月", "2024年1月1日–3月14日".
 */
export function periodLabel(from: string, to: string, locale: Locale): string {
  const [fy, fm, fd] = split(from);
  const [ty, tm, td] = split(to);
  const zh = locale === "zh";
  if (fm === 1 && fd === 1 && tm === 12 && td === 31) {
    const years = fy === ty ? String(fy) : `${fy}–${ty}`;
    return zh ? `${years}年` : years;
  }
  if (fd === 1 && td === lastDay(ty, tm)) {
    if (fy === ty && fm === tm) return zh ? `${fy}年${fm}月` : `${MONTHS_EN[fm - 1]} ${fy}`;
    if (fy === ty && tm === fm + 2 && fm % 3 === 1) {
      const q = (fm - 1) / 3;
      return zh ? `${fy}年第${QUARTER_ZH[q]}季度` : `Q${q + 1} ${fy}`;
    }
    if (fy === ty) return zh ? `${fy}年${fm}月–${tm}月` : `${MON_EN[fm - 1]} – ${MON_EN[tm - 1]} ${fy}`;
    return zh ? `${fy}年${fm}月–${ty}年${tm}月` : `${MON_EN[fm - 1]} ${fy} – ${MON_EN[tm - 1]} ${ty}`;
  }
  const day = (y: number, m: number, d: number, withYear: boolean) =>
    zh ? `${withYear ? `${y}年` : ""}${m}月${d}日` : `${d} ${MON_EN[m - 1]}${withYear ? ` ${y}` : ""}`;
  if (from === to) return day(fy, fm, fd, true);
  if (fy === ty) return zh ? `${day(fy, fm, fd, true)}–${day(ty, tm, td, false)}` : `${day(fy, fm, fd, false)} – ${day(ty, tm, td, true)}`;
  return zh ? `${day(fy, fm, fd, true)}–${day(ty, tm, td, true)}` : `${day(fy, fm, fd, true)} – ${day(ty, tm, td, true)}`;
}
