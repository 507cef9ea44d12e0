import type { Locale } from "./enums";
import { ENUM_FILTERS, FILTER_NAMES, type EnumFilterName, type FilterName, type Filters } from "./filters";

// Human words for a Filters value: the chips above the table and the sheet of an XLSX export.

export const FILTER_LABELS: Record<FilterName, { en: string; zh: string }> = {
  from: { en: "From", zh: "起始日期" },
  to: { en: "To", zh: "截止日期" },
  district: { en: "Customs district", zh: "直属海关" },
  office: { en: "Customs office", zh: "查发海关" },
  type: { en: "Infringement type", zh: "侵权类型" },
  category: { en: "Goods category", zh: "商品类别" },
  industry: { en: "Industry", zh: "行业" },
  holder: { en: "Right holder", zh: "权利人" },
  direction: { en: "Direction", zh: "进出境" },
  channel: { en: "Channel", zh: "渠道" },
  transport: { en: "Transport", zh: "运输方式" },
  mode: { en: "Protection mode", zh: "保护模式" },
  status: { en: "Status", zh: "状态" },
  disposal: { en: "Disposal", zh: "处置方式" },
  campaign: { en: "Campaign", zh: "专项行动" },
  q: { en: "Text search", zh: "文本搜索" },
};

export type Bilingual = { en: string; zh: string };
/** Names for the codes and ids a Filters value refers to (looked up in the database). */
export type FilterNames = {
  district: Record<string, Bilingual>;
  office: Record<string, Bilingual>;
  holder: Record<string, Bilingual>;
  campaign: Record<string, Bilingual>;
};

export const NO_NAMES: FilterNames = { district: {}, office: {}, holder: {}, campaign: {} };

export type FilterChip = { name: FilterName; value: string; label: string };

/** One chip per value: { name, value (as in the URL), label (in the locale) }. */
export function filterChips(filters: Filters, locale: Locale, names: FilterNames = NO_NAMES): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const name of FILTER_NAMES) {
    const v = filters[name];
    const values = Array.isArray(v) ? v.map(String) : v === null ? [] : [String(v)];
    for (const value of values) {
      let label = value;
      if (name in ENUM_FILTERS) {
        const e = ENUM_FILTERS[name as EnumFilterName] as { is(x: unknown): boolean; labels: Record<string, Bilingual> };
        if (e.is(value)) label = e.labels[value]![locale];
      } else if (name === "district" || name === "office" || name === "holder" || name === "campaign") {
        const known = names[name][value];
        label = known ? (name === "district" || name === "office" ? `${known[locale]} (${value})` : known[locale]) : value;
      }
      chips.push({ name, value, label: `${FILTER_LABELS[name][locale]}${locale === "zh" ? "：" : ": "}${label}` });
    }
  }
  return chips;
}

export function filterSummary(filters: Filters, locale: Locale, names: FilterNames = NO_NAMES): { label: string; value: string }[] {
  const chips = filterChips(filters, locale, names);
  const lines: { label: string; value: string }[] = [];
  for (const name of FILTER_NAMES) {
    const mine = chips.filter((c) => c.name === name);
    if (mine.length) {
      const prefix = `${FILTER_LABELS[name][locale]}${locale === "zh" ? "：" : ": "}`;
      lines.push({ label: FILTER_LABELS[name][locale], value: mine.map((c) => c.label.slice(prefix.length)).join(locale === "zh" ? "、" : ", ") });
    }
  }
  return lines;
}
