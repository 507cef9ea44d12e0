import { FACET_NAMES, type FacetName, type Filters } from "../../lib/filters";
import { sql, type SQL } from "drizzle-orm";
import { campaignIdsOfCodes, officeIdsOfCodes, officeIdsOfDistricts, recordationLinks, routeMatch, textMatch, type FilterOptions } from "../case-filters";
import type { Engine } from "../engine";
import { caseStore, DIMS, DIM_VALUES, INDUSTRIES, originCode, portCode, postings, yearTallies, type CaseStore, type Dim } from "./store";

// The one planner over the aggregate store (./store.ts): the one Filters (with the member
// scope of FilterOptions) becomes a plan — dates a day range, districts and offices an office
// set, enumerations code masks, right holders and industries holder sets, `q` the ids the
// search index matches — and then ONE scan of the store's columns adds up everything the
// caller wants: the totals, every dimension, years, offices, campaigns, right holders and
// industries (a case counts once per industry among its holders), the previous period's
// KPIs, and each facet under every filter but its own (a row that fails exactly one facet's
// filter counts for that facet only).
//
// A member's scope (restrictToHolders): only cases naming one of its holders, and only those
// links count — for the holder and industry filters as for the holder and industry tallies.

export type Figures = { cases: number; pieces: number; valueFen: number };
export type Tally<K> = Map<K, Figures>;
/** "all" (key ""), each enumerated dimension, "holder" (key: the id as text) and "industry". */
export type StatsDim = "all" | Dim | "holder" | "industry";
export const STATS_DIMS: StatsDim[] = ["all", ...DIMS, "holder", "industry"];

export type Want = {
  dims: StatsDim[];
  year: boolean;
  office: boolean;
  campaign?: boolean;
  /** the chosen cases by the recordation they rest on (a case on two counts for each) */
  recordation?: boolean;
  /** each facet whose filter is set, counted under every filter but its own */
  facets?: boolean;
  /** the period before the filter's dates: its totals and distinct right holders */
  previous?: { from: string; to: string } | null;
};

export type Collected = {
  dims: Map<StatsDim, Tally<string>>;
  year: Tally<number>;
  office: Tally<number>;
  campaign: Tally<number>;
  /** recordation id → figures (want.recordation) */
  recordation: Tally<number>;
  previous: (Figures & { rightHolders: number }) | null;
  /** per facet whose filter is set: the tallies with that filter left out (cases only) */
  except: Map<FacetName, Collected>;
};

const DIM_INDEX = new Map<string, number>(DIMS.map((d, i) => [d, i]));
const YEAR0 = 1000;
const YEARS = 9000;

const ymdOf = (iso: string) => Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));

type Plan = {
  nothing: boolean;
  lo: number;
  hi: number;
  prevLo: number;
  prevHi: number;
  district: Uint8Array | null;
  office: Uint8Array | null;
  /** per DIMS entry: allowed codes as bits, -1 when unfiltered */
  dimMask: Int32Array;
  /** the route filters (not facets): allowed port and origin codes, null when unfiltered */
  port: Uint8Array | null;
  origin: Uint8Array | null;
  campaign: Uint8Array | null;
  holder: Uint8Array | null;
  industry: Uint8Array | null;
  own: Uint8Array | null;
  /** the rows to look at, when something narrows them before the scan (text, holders) */
  candidates: Int32Array | null;
};

/** A mask of `size` codes with these (of a filter's values; -1, an unlisted value, marks none). */
function codeMask(size: number, codes: number[]): Uint8Array {
  const m = new Uint8Array(size);
  for (const c of codes) if (c >= 0 && c < size) m[c] = 1;
  return m;
}

function mark(size: number, ids: Iterable<number>): Uint8Array {
  const m = new Uint8Array(size + 1);
  for (const id of ids) if (id >= 0 && id <= size) m[id] = 1;
  return m;
}

/** The rows naming any of the marked holders, once each, in row order. */
function rowsOfHolders(s: CaseStore, holders: Uint8Array): Int32Array {
  const p = postings(s);
  let total = 0;
  for (let h = 0; h < holders.length && h + 1 < p.start.length; h++) if (holders[h]) total += p.start[h + 1]! - p.start[h]!;
  const out = new Int32Array(total);
  let n = 0;
  for (let h = 0; h < holders.length && h + 1 < p.start.length; h++) {
    if (!holders[h]) continue;
    for (let i = p.start[h]!; i < p.start[h + 1]!; i++) out[n++] = p.rows[i]!;
  }
  out.sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || out[i] !== out[i - 1]) out[u++] = out[i]!;
  return out.subarray(0, u);
}

function postingsSize(s: CaseStore, holders: Uint8Array): number {
  const p = postings(s);
  let total = 0;
  for (let h = 0; h < holders.length && h + 1 < p.start.length; h++) if (holders[h]) total += p.start[h + 1]! - p.start[h]!;
  return total;
}

/** What of the filters the database answers (ids of codes, the text search's case ids), read before the store. */
type Resolved = {
  f: Filters; district: number[]; office: number[]; campaign: number[]; text: "nothing" | number[] | null;
  /** the recordation filter: the chosen recordations' case ids, and (for "none") every linked case id */
  recordation: { chosen: number[]; linked: number[] | null } | null;
};

async function resolveFilters(e: Engine, filters: Filters, options: FilterOptions): Promise<Resolved> {
  const f = { ...filters };
  if (options.except) (f as Record<string, unknown>)[options.except] = Array.isArray(f[options.except]) ? [] : null;
  const own = options.restrictToHolders ?? null;
  let text: Resolved["text"] = null;
  if (f.q) {
    const match = await textMatch(e, f.q, own ? (own.length ? own : [-1]) : null);
    if (match === "nothing") text = "nothing";
    else if (match) text = (await e.all<Record<string, unknown>>(match)).map((r) => Number(Object.values(r)[0]));
  }
  // the HS and party filters (issue 18): the cases they select, read from the database like
  // the text search's, and only those beside it (port and origin are the store's masks)
  const route = routeMatch(e, { ...f, port: [], origin: [] });
  if (route && text !== "nothing") {
    const ids = (await e.all<{ id: number }>(sql`select id from cases where ${route}`)).map((r) => Number(r.id));
    if (text === null) text = ids;
    else {
      const chosen = new Set(ids);
      text = text.filter((id) => chosen.has(id));
    }
  }
  let recordation: Resolved["recordation"] = null;
  if (f.recordation.length) {
    const links = recordationLinks(e, f.recordation, own);
    const caseIds = async (q: SQL) => (await e.all<Record<string, unknown>>(q)).map((r) => Number(Object.values(r)[0]));
    recordation = {
      chosen: links.ids ? await caseIds(links.ids) : [],
      linked: links.none ? await caseIds(links.linked) : null,
    };
  }
  return {
    f,
    recordation,
    district: f.district.length ? await officeIdsOfDistricts(e, f.district) : [],
    office: f.office.length ? await officeIdsOfCodes(e, f.office) : [],
    campaign: f.campaign.length ? await campaignIdsOfCodes(e, f.campaign) : [],
    text,
  };
}

/** Filters + options → a plan over the store. */
function planFilters(s: CaseStore, resolved: Resolved, options: FilterOptions, want: Want): Plan {
  const f = resolved.f;
  const plan: Plan = {
    nothing: false,
    lo: f.from ? ymdOf(f.from) : -Infinity,
    hi: f.to ? ymdOf(f.to) : Infinity,
    prevLo: want.previous ? ymdOf(want.previous.from) : 1,
    prevHi: want.previous ? ymdOf(want.previous.to) : 0,
    district: f.district.length ? mark(s.maxOffice, resolved.district) : null,
    office: f.office.length ? mark(s.maxOffice, resolved.office) : null,
    dimMask: new Int32Array(DIMS.length).fill(-1),
    port: f.port.length ? codeMask(256, f.port.map(portCode)) : null,
    origin: f.origin.length ? codeMask(65536, f.origin.map(originCode)) : null,
    campaign: f.campaign.length ? mark(s.maxCampaign, resolved.campaign) : null,
    holder: null,
    industry: null,
    own: null,
    candidates: null,
  };
  DIMS.forEach((d, k) => {
    const chosen = f[d] as string[];
    if (!chosen.length) return;
    let bits = 0;
    for (const v of chosen) {
      const code = DIM_VALUES[k]!.indexOf(v);
      if (code >= 0) bits |= 1 << code;
    }
    plan.dimMask[k] = bits;
  });
  const own = options.restrictToHolders ?? null;
  plan.own = own ? mark(s.maxHolder, own) : null;
  const allowed = (ids: number[]) => (own ? ids.filter((id) => own.includes(id)) : ids);
  if (f.holder.length) plan.holder = mark(s.maxHolder, allowed(f.holder));
  if (f.industry.length) {
    const codes = new Set(f.industry.map((i) => INDUSTRIES.indexOf(i)));
    const ids: number[] = [];
    for (let h = 0; h <= s.maxHolder; h++) if (s.industryOf[h]! >= 0 && codes.has(s.industryOf[h]!)) ids.push(h);
    plan.industry = mark(s.maxHolder, allowed(ids));
  }
  if (resolved.text === "nothing") plan.nothing = true;
  else if (resolved.text) {
    const ids = resolved.text;
    {
      const rows: number[] = [];
      for (const id of ids) {
        const r = id < s.rowOf.length ? s.rowOf[id]! - 1 : -1;
        if (r >= 0) rows.push(r);
      }
      plan.candidates = Int32Array.from(rows).sort();
    }
  }
  // the recordation filter's rows (the database's links, read fresh): those of the chosen
  // recordations, and with "none" every row linked to none; beside a text search, both hold
  if (resolved.recordation && !plan.nothing) {
    const { chosen, linked } = resolved.recordation;
    const rowOfId = (id: number) => (id < s.rowOf.length ? s.rowOf[id]! - 1 : -1);
    const keep = new Uint8Array(s.n);
    for (const id of chosen) {
      const r = rowOfId(id);
      if (r >= 0) keep[r] = 1;
    }
    if (linked) {
      const has = new Uint8Array(s.n);
      for (const id of linked) {
        const r = rowOfId(id);
        if (r >= 0) has[r] = 1;
      }
      for (let r = 0; r < s.n; r++) if (!has[r]) keep[r] = 1;
    }
    if (plan.candidates) plan.candidates = plan.candidates.filter((r) => keep[r] === 1);
    else {
      const rows: number[] = [];
      for (let r = 0; r < s.n; r++) if (keep[r]) rows.push(r);
      plan.candidates = Int32Array.from(rows);
    }
  }
  // the holder sets narrow the rows when they are small (and no facet needs the rows they leave out)
  if (!plan.candidates) {
    const narrowing = [plan.own, want.facets ? null : plan.holder, want.facets ? null : plan.industry].filter((m): m is Uint8Array => m !== null);
    let best: Uint8Array | null = null;
    let bestSize = s.n / 4;
    for (const m of narrowing) {
      const size = postingsSize(s, m);
      if (size < bestSize) {
        best = m;
        bestSize = size;
      }
    }
    if (best) plan.candidates = rowsOfHolders(s, best);
  }
  return plan;
}

const zero = (): Figures => ({ cases: 0, pieces: 0, valueFen: 0 });

function emptyCollected(): Collected {
  return { dims: new Map(), year: new Map(), office: new Map(), campaign: new Map(), recordation: new Map(), previous: null, except: new Map() };
}

/** Figures from a flat array of [cases, pieces, value] triples, keyed by index. */
function toTally<K>(t: Float64Array, key: (i: number) => K, out: Tally<K> = new Map()): Tally<K> {
  for (let i = 0; i * 3 < t.length; i++) {
    if (t[i * 3] === 0) continue;
    out.set(key(i), { cases: t[i * 3]!, pieces: t[i * 3 + 1]!, valueFen: t[i * 3 + 2]! });
  }
  return out;
}
function countTally<K>(t: Float64Array, key: (i: number) => K): Tally<K> {
  const out: Tally<K> = new Map();
  for (let i = 0; i < t.length; i++) if (t[i]! > 0) out.set(key(i), { cases: t[i]!, pieces: 0, valueFen: 0 });
  return out;
}

// facet order in the scan: district, office, each DIMS entry, campaign, holder, industry
const F_DISTRICT = 0, F_OFFICE = 1, F_DIM0 = 2, F_CAMPAIGN = 2 + DIMS.length, F_HOLDER = F_CAMPAIGN + 1, F_INDUSTRY = F_HOLDER + 1;
const FACET_OF_SLOT: FacetName[] = ["district", "office", ...DIMS, "campaign", "holder", "industry"];

/** The wanted tallies of the cases matching filters (one scan of the store). */
export async function tally(e: Engine, filters: Filters, options: FilterOptions, want: Want): Promise<Collected> {
  const resolved = await resolveFilters(e, filters, options);
  // the store last: nothing awaits between its catch-up and the scan
  const s = await caseStore(e);
  const plan = planFilters(s, resolved, options, want);
  const out = emptyCollected();
  for (const d of want.dims) out.dims.set(d, new Map());
  const facets = want.facets === true;
  if (plan.nothing) {
    if (want.previous) out.previous = { ...zero(), rightHolders: 0 };
    if (facets) {
      for (const f of FACET_NAMES) {
        if (!isSet(filters, f, options)) continue;
        // each set facet's tally, empty (as the scan below leaves it for a facet of no case)
        const c = emptyCollected();
        if (f !== "district" && f !== "office" && f !== "campaign") c.dims.set(f, new Map());
        out.except.set(f, c);
      }
    }
    return out;
  }
  const { ymd, office, campaign, dims, pieces, value, live, linkStart, linkCount, links, industryOf } = s;
  const { port: portOk, origin: originOk } = plan;
  const { port: portCol, origin: originCol } = s;
  const { lo, hi, prevLo, prevHi, district: districtOk, office: officeOk, campaign: campaignOk, holder: holderOk, industry: industryOk, own } = plan;
  const dimMask = plan.dimMask;
  const needHolders = want.dims.includes("holder");
  const needIndustries = want.dims.includes("industry");
  const wantDims = DIMS.map((d) => want.dims.includes(d));
  const dimT = DIMS.map((_, k) => new Float64Array(wantDims[k] ? DIM_VALUES[k]!.length * 3 : 0));
  const nDims = DIMS.length;
  const all = new Float64Array(3);
  const yearT = want.year ? new Float64Array(YEARS * 3) : null;
  const officeT = want.office ? new Float64Array((s.maxOffice + 1) * 3) : null;
  const campaignT = want.campaign ? new Float64Array((s.maxCampaign + 1) * 3) : null;
  const holderT = needHolders ? new Float64Array((s.maxHolder + 1) * 3) : null;
  const industryT = needIndustries ? new Float64Array(INDUSTRIES.length * 3) : null;
  const prev = new Float64Array(3);
  const prevHolders = want.previous ? new Uint8Array(s.maxHolder + 1) : null;
  // the facets whose filter is set, and their tallies with that filter left out (cases only)
  const setSlots: number[] = [];
  if (facets) {
    if (districtOk) setSlots.push(F_DISTRICT);
    if (officeOk) setSlots.push(F_OFFICE);
    for (let k = 0; k < nDims; k++) if (dimMask[k] !== -1) setSlots.push(F_DIM0 + k);
    if (campaignOk) setSlots.push(F_CAMPAIGN);
    if (holderOk) setSlots.push(F_HOLDER);
    if (industryOk) setSlots.push(F_INDUSTRY);
  }
  const exceptT: Float64Array[] = [];
  for (const slot of setSlots) {
    const size =
      slot === F_DISTRICT || slot === F_OFFICE ? s.maxOffice + 1
      : slot === F_CAMPAIGN ? s.maxCampaign + 1
      : slot === F_HOLDER ? s.maxHolder + 1
      : slot === F_INDUSTRY ? INDUSTRIES.length
      : DIM_VALUES[slot - F_DIM0]!.length;
    exceptT[slot] = new Float64Array(size);
  }
  const maxFails = facets ? 1 : 0;
  const hasPrev = want.previous != null;
  const candidates = plan.candidates;
  const count = candidates ? candidates.length : s.n;

  const hasLinkIn = (r: number, set: Uint8Array) => {
    const end = linkStart[r]! + linkCount[r]!;
    for (let i = linkStart[r]!; i < end; i++) {
      const h = links[i]!;
      if (h < set.length && set[h] === 1) return true;
    }
    return false;
  };
  const industryBits = (r: number) => {
    let bits = 0;
    const end = linkStart[r]! + linkCount[r]!;
    for (let i = linkStart[r]!; i < end; i++) {
      const h = links[i]!;
      if (own && (h >= own.length || own[h] !== 1)) continue;
      const code = h < industryOf.length ? industryOf[h]! : -1;
      if (code >= 0) bits |= 1 << code;
    }
    return bits;
  };

  // 1. selection: the rows that pass (this period and the previous one), and for each set
  //    facet the rows that fail its filter alone
  const activeDims: number[] = [];
  for (let k = 0; k < nDims; k++) if (dimMask[k] !== -1) activeDims.push(k);
  const nActive = activeDims.length;
  const activeCols = activeDims.map((k) => dims[k]!);
  const activeMasks = Int32Array.from(activeDims.map((k) => dimMask[k]!));
  let sel = new Int32Array(Math.min(count, 1 << 16));
  let nSel = 0;
  const prevSel: number[] = [];
  const failedOnly: number[][] = [];
  for (const slot of setSlots) failedOnly[slot] = [];
  // no filter but dates: whole years come from the store's year tallies, only the rows of
  // partial years are scanned
  const useYears = !want.recordation && !own && !portOk && !originOk && !districtOk && !officeOk && nActive === 0 && !campaignOk && !holderOk && !industryOk && !candidates;
  const wholeFrom = (d: number) => (d === -Infinity ? -Infinity : d % 10000 === 101 ? (d / 10000) | 0 : ((d / 10000) | 0) + 1);
  const wholeTo = (d: number) => (d === Infinity ? Infinity : d % 10000 === 1231 ? (d / 10000) | 0 : ((d / 10000) | 0) - 1);
  const curYears = useYears ? [wholeFrom(lo), wholeTo(hi)] : [1, 0];
  const prevYears = useYears && hasPrev ? [wholeFrom(prevLo), wholeTo(prevHi)] : [1, 0];
  const [cyLo, cyHi] = curYears as [number, number];
  const [pyLo, pyHi] = prevYears as [number, number];
  const whole = lo === -Infinity && hi === Infinity && !hasPrev && !useYears;
  const scanned = useYears && lo === -Infinity && hi === Infinity && !hasPrev ? 0 : count;

  rows: for (let i = 0; i < scanned; i++) {
    const r = candidates ? candidates[i]! : i;
    if (live[r] !== 1) continue;
    let inCur = true;
    let inPrev = false;
    if (!whole) {
      const day = ymd[r]!;
      inCur = day >= lo && day <= hi;
      inPrev = hasPrev && day >= prevLo && day <= prevHi;
      if (useYears) {
        const y = (day / 10000) | 0;
        if (y >= cyLo && y <= cyHi) inCur = false;
        if (y >= pyLo && y <= pyHi) inPrev = false;
      }
      if (!inCur && !inPrev) continue;
    }
    if (own && !hasLinkIn(r, own)) continue;
    // the route's masks hold for every facet too (they are no facet)
    if (portOk && portOk[portCol[r]!] !== 1) continue;
    if (originOk && originOk[originCol[r]!] !== 1) continue;
    let fails = 0;
    let failed = -1;
    if (districtOk && districtOk[office[r]!] !== 1) {
      if (++fails > maxFails) continue;
      failed = F_DISTRICT;
    }
    if (officeOk && officeOk[office[r]!] !== 1) {
      if (++fails > maxFails) continue;
      failed = F_OFFICE;
    }
    for (let a = 0; a < nActive; a++) {
      if (((activeMasks[a]! >> activeCols[a]![r]!) & 1) === 0) {
        if (++fails > maxFails) continue rows;
        failed = F_DIM0 + activeDims[a]!;
      }
    }
    if (campaignOk && campaignOk[campaign[r]!] !== 1) {
      if (++fails > maxFails) continue;
      failed = F_CAMPAIGN;
    }
    if (holderOk && !hasLinkIn(r, holderOk)) {
      if (++fails > maxFails) continue;
      failed = F_HOLDER;
    }
    if (industryOk && !hasLinkIn(r, industryOk)) {
      if (++fails > maxFails) continue;
      failed = F_INDUSTRY;
    }
    if (fails === 0) {
      if (inPrev) prevSel.push(r);
      if (inCur) {
        if (nSel === sel.length) {
          const bigger = new Int32Array(Math.min(count, sel.length * 4));
          bigger.set(sel);
          sel = bigger;
        }
        sel[nSel++] = r;
      }
    } else if (inCur) failedOnly[failed]!.push(r);
  }
  const chosen = sel.subarray(0, nSel);

  // 2. the tallies, a column at a time over the chosen rows
  for (let i = 0; i < nSel; i++) {
    const r = chosen[i]!;
    all[1]! += pieces[r]!;
    all[2]! += value[r]!;
  }
  all[0] = nSel;
  if (yearT) {
    for (let i = 0; i < nSel; i++) {
      const r = chosen[i]!;
      const y = (((ymd[r]! / 10000) | 0) - YEAR0) * 3;
      yearT[y]!++;
      yearT[y + 1]! += pieces[r]!;
      yearT[y + 2]! += value[r]!;
    }
  }
  if (officeT) sumByInt32(officeT, office, chosen, pieces, value);
  if (campaignT) sumByInt32(campaignT, campaign, chosen, pieces, value);
  for (let k = 0; k < nDims; k++) if (wantDims[k]) sumByUint8(dimT[k]!, dims[k]!, chosen, pieces, value);
  if (holderT || industryT) {
    for (let i = 0; i < nSel; i++) {
      const r = chosen[i]!;
      const p = pieces[r]!, v = value[r]!;
      const end = linkStart[r]! + linkCount[r]!;
      let bits = 0;
      for (let j = linkStart[r]!; j < end; j++) {
        const h = links[j]!;
        if (own && (h >= own.length || own[h] !== 1)) continue;
        if (h > s.maxHolder) continue;
        if (holderT) {
          holderT[h * 3]!++;
          holderT[h * 3 + 1]! += p;
          holderT[h * 3 + 2]! += v;
        }
        const code = industryOf[h]!;
        if (code >= 0) bits |= 1 << code;
      }
      if (industryT) {
        // a case counts once per industry among its right holders
        for (let b = 0; bits >> b; b++) {
          if (((bits >> b) & 1) === 0) continue;
          industryT[b * 3]!++;
          industryT[b * 3 + 1]! += p;
          industryT[b * 3 + 2]! += v;
        }
      }
    }
  }
  if (want.recordation) {
    const { recStart, recCount, recs } = s;
    const t = out.recordation;
    for (let i = 0; i < nSel; i++) {
      const r = chosen[i]!;
      const end = recStart[r]! + recCount[r]!;
      for (let j = recStart[r]!; j < end; j++) {
        const id = recs[j]!;
        const f = t.get(id);
        if (f) {
          f.cases++;
          f.pieces += pieces[r]!;
          f.valueFen += value[r]!;
        } else t.set(id, { cases: 1, pieces: pieces[r]!, valueFen: value[r]! });
      }
    }
  }
  if (hasPrev) {
    for (const r of prevSel) {
      prev[0]!++;
      prev[1]! += pieces[r]!;
      prev[2]! += value[r]!;
      const end = linkStart[r]! + linkCount[r]!;
      for (let j = linkStart[r]!; j < end; j++) {
        const h = links[j]!;
        if (own && (h >= own.length || own[h] !== 1)) continue;
        if (h < prevHolders!.length) prevHolders![h] = 1;
      }
    }
  }
  if (useYears && (cyLo <= cyHi || pyLo <= pyHi)) {
    const addAll = (into: Float64Array | null, from: Float64Array) => {
      if (!into) return;
      const n = Math.min(into.length, from.length);
      for (let i = 0; i < n; i++) into[i]! += from[i]!;
    };
    for (const [year, b] of yearTallies(s)) {
      if (year >= cyLo && year <= cyHi) {
        addAll(all, b.all);
        if (yearT) addAll(yearT.subarray((year - YEAR0) * 3, (year - YEAR0) * 3 + 3), b.all);
        addAll(officeT, b.office);
        addAll(campaignT, b.campaign);
        for (let k = 0; k < nDims; k++) if (wantDims[k]) addAll(dimT[k]!, b.dims[k]!);
        addAll(holderT, b.holders);
        addAll(industryT, b.industries);
      }
      if (year >= pyLo && year <= pyHi) {
        addAll(prev, b.all);
        for (let h = 0; h < prevHolders!.length && h * 3 < b.holders.length; h++) if (b.holders[h * 3]! > 0) prevHolders![h] = 1;
      }
    }
  }
  // each set facet: the chosen rows and the rows failing its filter alone (cases only)
  for (const slot of setSlots) {
    const t = exceptT[slot]!;
    for (const part of [chosen, failedOnly[slot]!] as ArrayLike<number>[]) {
      for (let i = 0; i < part.length; i++) {
        const r = part[i]!;
        if (slot === F_DISTRICT || slot === F_OFFICE) t[office[r]!]!++;
        else if (slot === F_CAMPAIGN) t[campaign[r]!]!++;
        else if (slot === F_HOLDER) {
          const end = linkStart[r]! + linkCount[r]!;
          for (let j = linkStart[r]!; j < end; j++) {
            const h = links[j]!;
            if (own && (h >= own.length || own[h] !== 1)) continue;
            if (h < t.length) t[h]!++;
          }
        } else if (slot === F_INDUSTRY) {
          const bits = industryBits(r);
          for (let b = 0; b < INDUSTRIES.length; b++) if ((bits >> b) & 1) t[b]!++;
        } else t[dims[slot - F_DIM0]![r]!]!++;
      }
    }
  }

  if (out.dims.has("all")) toTally(all, () => "", out.dims.get("all"));
  DIMS.forEach((d, k) => {
    if (wantDims[k]) toTally(dimT[k]!, (i) => DIM_VALUES[k]![i]!, out.dims.get(d));
  });
  if (holderT) toTally(holderT, (i) => String(i), out.dims.get("holder"));
  if (industryT) toTally(industryT, (i) => INDUSTRIES[i]!, out.dims.get("industry"));
  if (yearT) toTally(yearT, (i) => i + YEAR0, out.year);
  if (officeT) toTally(officeT, (i) => i, out.office);
  if (campaignT) {
    toTally(campaignT, (i) => i, out.campaign);
    out.campaign.delete(0); // no campaign
  }
  if (hasPrev) {
    let rightHolders = 0;
    for (let h = 0; h < prevHolders!.length; h++) rightHolders += prevHolders![h]!;
    out.previous = { cases: prev[0]!, pieces: prev[1]!, valueFen: prev[2]!, rightHolders };
  }
  for (const slot of setSlots) {
    const t = exceptT[slot]!;
    const c = emptyCollected();
    const facet = FACET_OF_SLOT[slot]!;
    if (slot === F_DISTRICT || slot === F_OFFICE) c.office = countTally(t, (i) => i);
    else if (slot === F_CAMPAIGN) {
      c.campaign = countTally(t, (i) => i);
      c.campaign.delete(0);
    } else if (slot === F_HOLDER) c.dims.set("holder", countTally(t, (i) => String(i)));
    else if (slot === F_INDUSTRY) c.dims.set("industry", countTally(t, (i) => INDUSTRIES[i]!));
    else c.dims.set(facet as Dim, countTally(t, (i) => DIM_VALUES[slot - F_DIM0]![i]!));
    out.except.set(facet, c);
  }
  return out;
}

// one function per column type, so that each loop stays monomorphic
function sumByUint8(t: Float64Array, col: Uint8Array, rows: Int32Array, pieces: Float64Array, value: Float64Array) {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const at = col[r]! * 3;
    t[at]!++;
    t[at + 1]! += pieces[r]!;
    t[at + 2]! += value[r]!;
  }
}
function sumByInt32(t: Float64Array, col: Int32Array, rows: Int32Array, pieces: Float64Array, value: Float64Array) {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const at = col[r]! * 3;
    t[at]!++;
    t[at + 1]! += pieces[r]!;
    t[at + 2]! += value[r]!;
  }
}

function isSet(filters: Filters, facet: FacetName, options: FilterOptions): boolean {
  return options.except !== facet && filters[facet].length > 0;
}

// ---- the market tables: whole years by district, type, category and direction ----

export type YearRow = Figures & { year: number; k: string | number };
export type MarketCounts = {
  byYear: YearRow[];
  /** by the office's id (the caller folds offices into districts) */
  office: YearRow[];
  type: YearRow[];
  category: YearRow[];
  direction: YearRow[];
  /** the cases naming `holderId`, by year and each table's key */
  own: { year: number; office: number; type: string; category: string; direction: string; n: number }[];
};

/** Every live case by year × office, type, category and direction, and the cases naming one holder. */
export async function marketCounts(e: Engine, holderId: number | null): Promise<MarketCounts> {
  const s = await caseStore(e);
  const { ymd, office, dims, pieces, value, live } = s;
  const kType = DIM_INDEX.get("type")!, kCategory = DIM_INDEX.get("category")!, kDirection = DIM_INDEX.get("direction")!;
  const nType = DIM_VALUES[kType]!.length, nCategory = DIM_VALUES[kCategory]!.length, nDirection = DIM_VALUES[kDirection]!.length;
  const nOffice = s.maxOffice + 1;
  let minYear = Infinity, maxYear = -Infinity;
  for (let r = 0; r < s.n; r++) {
    if (live[r] !== 1) continue;
    const y = (ymd[r]! / 10000) | 0;
    if (y < minYear) minYear = y;
    if (y > maxYear) maxYear = y;
  }
  const empty: MarketCounts = { byYear: [], office: [], type: [], category: [], direction: [], own: [] };
  if (minYear > maxYear) return empty;
  const span = maxYear - minYear + 1;
  const byYear = new Float64Array(span * 3);
  const byOffice = new Float64Array(span * nOffice * 3);
  const byType = new Float64Array(span * nType * 3);
  const byCategory = new Float64Array(span * nCategory * 3);
  const byDirection = new Float64Array(span * nDirection * 3);
  const dType = dims[kType]!, dCategory = dims[kCategory]!, dDirection = dims[kDirection]!;
  const add = (t: Float64Array, at: number, p: number, v: number) => {
    t[at * 3]!++;
    t[at * 3 + 1]! += p;
    t[at * 3 + 2]! += v;
  };
  for (let r = 0; r < s.n; r++) {
    if (live[r] !== 1) continue;
    const y = ((ymd[r]! / 10000) | 0) - minYear;
    const p = pieces[r]!, v = value[r]!;
    add(byYear, y, p, v);
    add(byOffice, y * nOffice + office[r]!, p, v);
    add(byType, y * nType + dType[r]!, p, v);
    add(byCategory, y * nCategory + dCategory[r]!, p, v);
    add(byDirection, y * nDirection + dDirection[r]!, p, v);
  }
  const rows = (t: Float64Array, width: number, key: (i: number) => string | number): YearRow[] => {
    const out: YearRow[] = [];
    for (let i = 0; i * 3 < t.length; i++) {
      if (t[i * 3] === 0) continue;
      out.push({ year: minYear + Math.floor(i / width), k: key(i % width), cases: t[i * 3]!, pieces: t[i * 3 + 1]!, valueFen: t[i * 3 + 2]! });
    }
    return out;
  };
  const own: MarketCounts["own"] = [];
  if (holderId !== null && holderId >= 0 && holderId <= s.maxHolder) {
    const p = postings(s);
    const counted = new Map<string, MarketCounts["own"][number]>();
    for (let i = p.start[holderId]!; i < p.start[holderId + 1]!; i++) {
      const r = p.rows[i]!;
      if (live[r] !== 1) continue;
      const row = {
        year: (ymd[r]! / 10000) | 0, office: office[r]!, type: DIM_VALUES[kType]![dType[r]!]!,
        category: DIM_VALUES[kCategory]![dCategory[r]!]!, direction: DIM_VALUES[kDirection]![dDirection[r]!]!, n: 0,
      };
      const key = `${row.year}|${row.office}|${row.type}|${row.category}|${row.direction}`;
      const found = counted.get(key) ?? (counted.set(key, row), row);
      found.n++;
    }
    own.push(...counted.values());
  }
  return {
    byYear: rows(byYear, 1, () => ""),
    office: rows(byOffice, nOffice, (i) => i),
    type: rows(byType, nType, (i) => DIM_VALUES[kType]![i]!),
    category: rows(byCategory, nCategory, (i) => DIM_VALUES[kCategory]![i]!),
    direction: rows(byDirection, nDirection, (i) => DIM_VALUES[kDirection]![i]!),
    own,
  };
}
