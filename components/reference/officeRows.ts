import type { DistrictFacts, OfficeFacts } from "@/db/repo/reference";
import type { DashboardStats, Figures } from "@/db/repo/dashboard";
import { casesHref, hrefWith, withValues } from "@/lib/drill";
import type { Filters } from "@/lib/filters";
import type { OfficeGroup, OfficeRow } from "./OfficeTable";

const zero: Figures = { cases: 0, pieces: 0, valueFen: 0 };

/** Figures by code from the dashboard's tallies (districts with their subordinates; offices on their own). */
function figuresOf(stats: DashboardStats) {
  const district = new Map(stats.byDistrict.map((d) => [d.code, { cases: d.cases, pieces: d.pieces, valueFen: d.valueFen }]));
  const office = new Map(stats.byOffice.map((o) => [o.code, { cases: o.cases, pieces: o.pieces, valueFen: o.valueFen }]));
  return { district: (code: string) => district.get(code) ?? zero, office: (code: string) => office.get(code) ?? zero };
}

/**
 * One group per district: its row (linking to its page, which sets the district itself), then, when it has subordinate
 * customs, its own office and each subordinate with their own figures.
 */
export function districtGroups(districts: DistrictFacts[], stats: DashboardStats, filters: Filters, withHead = true): OfficeGroup[] {
  const figures = figuresOf(stats);
  const officeRow = (o: OfficeFacts, own = false): OfficeRow => {
    const f = figures.office(o.code);
    return { ...o, ...f, own, href: null, casesHref: f.cases ? casesHref(withValues(filters, "office", [o.code])) : null };
  };
  return districts.map((d) => {
    const f = figures.district(d.code);
    const { subordinates, ...facts } = d;
    return {
      head: withHead
        ? { ...facts, ...f, href: hrefWith(`/districts/${d.code}`, withValues(filters, "district", [])), casesHref: f.cases ? casesHref(withValues(filters, "district", [d.code])) : null }
        : null,
      offices: subordinates.length ? [officeRow(facts, true), ...subordinates.map((s) => officeRow(s))] : [],
    };
  });
}

/** The total row: every case under the filters. */
export function totalRow(stats: DashboardStats, filters: Filters, label: string, province = ""): OfficeRow {
  const k = stats.kpis;
  return {
    code: "", nameEn: label, nameZh: label, province,
    cases: k.cases, pieces: k.pieces, valueFen: k.valueFen,
    href: null, casesHref: k.cases ? casesHref(filters) : null,
  };
}
