import type { CaseInput } from "../lib/case-definition";
import {
  infringementTypes,
  type CaseStatus,
  type Channel,
  type Direction,
  type Disposal,
  type GoodsCategory,
  type Industry,
  type InfringementType,
  type Transport,
} from "../lib/enums";
import { createRandom, gaussian, splitExactly, type Random } from "../lib/prng";
import { PUBLISHED_FIGURES } from "./published-figures";
import {
  CAMPAIGNS,
  KUNMING,
  buildRightHolders,
  loadOffices,
  type CampaignSeed,
  type HolderSeed,
  type OfficeSeed,
} from "./reference";

// The deterministic demo-data generator. Reference rows get ids 1..n in array order, so
// generated cases can point at them by id. Cases come out a year at a time, in date order,
// numbered <districtCode>-<year>-<seq>.

/** A generated case: a CaseInput (lib/case-definition.ts; optional fields it predates left out) with the id and creation time the generator assigns. */
export type GeneratedCase = CaseInput & {
  id: number;
  originCountry: string;
  destinationCountry: string;
  createdAt: number;
};

export type Reference = {
  offices: OfficeSeed[];
  holders: HolderSeed[];
  campaigns: CampaignSeed[];
};

export const FIRST_YEAR = 2012;
export const LAST_YEAR = 2025;
export const MIN_CASES = 1000;
export const MAX_CASES = 5_000_000;

// GACC batches detained per year (thousands; 2012, 2015, 2016, 2019 and 2025 estimated).
const YEAR_WEIGHTS: Record<number, number> = {
  2012: 16, 2013: 20.5, 2014: 24, 2015: 22, 2016: 20, 2017: 19.1, 2018: 47.2,
  2019: 55, 2020: 61.9, 2021: 79.2, 2022: 60.9, 2023: 62.1, 2024: 41.6, 2025: 45,
};

// Relative case volume of each district outside Kunming (Kunming follows its own plan).
const DISTRICT_WEIGHTS: Record<string, number> = {
  "5300": 18, "3100": 12, "2900": 10, "2200": 9, "3700": 6, "5100": 7, "4700": 3.5, "7900": 3,
  "5200": 5, "0200": 3.5, "4200": 3, "2300": 2.5, "5700": 2, "3500": 2, "0900": 1.5, "0100": 2,
  "7200": 1.2, "4600": 1, "8000": 1, "6000": 1, "6800": 0.8, "6700": 0.5, "6400": 0.5, "9400": 0.6,
  "0600": 0.4, "1900": 0.4, "0800": 0.6, "1500": 0.4, "4000": 0.5, "4300": 0.6, "4900": 0.8,
  "3300": 0.5, "0400": 0.4, "0500": 0.3, "0700": 0.3, "9000": 0.6, "8300": 0.3, "9500": 0.2,
  "9600": 0.1, "9900": 0.1, "8800": 0.1,
};
const BORDER_DISTRICTS = new Set([KUNMING, "7200", "9400", "0600", "0700", "1900", "1500"]);

const INDUSTRY_VOLUME: Record<Industry, number> = {
  apparel_sportswear: 30, luxury: 24, wireless_ic: 10, personal_care: 8, automotive: 6,
  machinery_tools: 7, lighting: 6, pharma_medical: 4, power_distribution: 5,
};

const INDUSTRY_CATEGORIES: Record<Industry, [GoodsCategory, number][]> = {
  wireless_ic: [["communication", 55], ["electronics", 45]],
  luxury: [["bags_leather", 45], ["watches_jewellery", 30], ["apparel_footwear", 20], ["cosmetics", 5]],
  lighting: [["lighting", 85], ["electronics", 15]],
  personal_care: [["cosmetics", 92], ["other", 8]],
  pharma_medical: [["medicines", 100]],
  automotive: [["auto_parts", 100]],
  power_distribution: [["electronics", 60], ["hardware_machinery", 40]],
  machinery_tools: [["hardware_machinery", 100]],
  apparel_sportswear: [["apparel_footwear", 72], ["sports_goods", 16], ["bags_leather", 12]],
};
const LICENSED_CATEGORIES: GoodsCategory[] = ["toys", "stationery", "tobacco", "other"];

const GOODS: Record<GoodsCategory, { nouns: string[]; yuanPerPiece: [number, number] }> = {
  apparel_footwear: { nouns: ["sports shoes", "T-shirts", "caps", "jackets", "jeans", "socks"], yuanPerPiece: [20, 200] },
  bags_leather: { nouns: ["handbags", "wallets", "belts", "backpacks"], yuanPerPiece: [50, 800] },
  watches_jewellery: { nouns: ["wristwatches", "necklaces", "sunglasses", "bracelets"], yuanPerPiece: [80, 2000] },
  electronics: { nouns: ["earphones", "power banks", "chargers", "circuit breakers", "sockets"], yuanPerPiece: [10, 300] },
  communication: { nouns: ["mobile phones", "phone cases", "Bluetooth modules", "integrated circuits"], yuanPerPiece: [30, 1500] },
  lighting: { nouns: ["LED bulbs", "lamps", "light tubes", "torches"], yuanPerPiece: [5, 80] },
  cosmetics: { nouns: ["lipsticks", "perfume", "shampoo", "face creams", "razor blades"], yuanPerPiece: [10, 200] },
  medicines: { nouns: ["tablets", "syringes", "test strips", "blood-pressure monitors"], yuanPerPiece: [1, 50] },
  auto_parts: { nouns: ["brake pads", "spark plugs", "oil filters", "headlamps"], yuanPerPiece: [10, 400] },
  hardware_machinery: { nouns: ["chainsaws", "drills", "angle grinders", "bearings"], yuanPerPiece: [20, 1500] },
  sports_goods: { nouns: ["footballs", "rackets", "golf clubs", "jerseys"], yuanPerPiece: [15, 300] },
  toys: { nouns: ["dolls", "toy cars", "puzzles", "plush toys"], yuanPerPiece: [5, 60] },
  stationery: { nouns: ["pens", "notebooks", "toner cartridges"], yuanPerPiece: [1, 30] },
  tobacco: { nouns: ["cigarettes", "cigarette lighters"], yuanPerPiece: [5, 30] },
  other: { nouns: ["stickers", "labels", "packaging boxes", "keyrings"], yuanPerPiece: [1, 10] },
};

const NATIONAL_TYPES: [InfringementType, number][] = [
  ["trademark", 975], ["copyright", 12], ["design_patent", 7], ["utility_model", 3],
  ["invention_patent", 1], ["olympic_symbol", 1], ["world_expo_symbol", 1],
];
const MINOR_TYPES: InfringementType[] = ["copyright", "design_patent", "utility_model", "invention_patent"];

const CHANNEL_WEIGHTS: [Channel, number][] = [
  ["general_freight", 30], ["express", 30], ["postal", 25], ["cross_border_ecommerce", 8],
  ["passenger", 3], ["market_procurement", 3], ["border_trade", 1],
];
const KUNMING_CHANNELS: [Channel, number][] = [
  ["border_trade", 35], ["general_freight", 20], ["express", 18], ["postal", 15], ["passenger", 12],
];
const TRANSPORT_BY_CHANNEL: Record<Channel, [Transport, number][]> = {
  general_freight: [["sea", 70], ["air", 15], ["road", 10], ["rail", 5]],
  express: [["air", 70], ["road", 30]],
  postal: [["post", 100]],
  cross_border_ecommerce: [["air", 60], ["sea", 20], ["road", 20]],
  passenger: [["air", 80], ["road", 20]],
  border_trade: [["road", 85], ["rail", 15]],
  market_procurement: [["sea", 90], ["rail", 10]],
};
const SMALL_CONSIGNMENT = new Set<Channel>(["express", "postal", "cross_border_ecommerce", "passenger"]);

const EXPORT_DESTINATIONS: [string, number][] = [
  ["US", 15], ["AE", 10], ["NG", 8], ["RU", 8], ["BR", 6], ["SA", 5], ["DE", 5], ["GB", 4], ["MX", 4],
  ["CL", 3], ["IQ", 3], ["KZ", 3], ["PA", 3], ["EG", 3], ["PE", 2], ["TZ", 2], ["KE", 2], ["GH", 2],
];
const KUNMING_DESTINATIONS: [string, number][] = [["MM", 45], ["LA", 25], ["VN", 20], ["TH", 10]];
const IMPORT_ORIGINS: [string, number][] = [["US", 20], ["JP", 15], ["KR", 15], ["DE", 10], ["FR", 10], ["IT", 10], ["TH", 5], ["VN", 5], ["MM", 5], ["HK", 5]];

const DAY_MS = 86_400_000;
const epochDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const DATA_END_DAY = epochDay(`${LAST_YEAR}-12-31`);

export function buildReference(): Reference {
  return { offices: loadOffices(), holders: buildRightHolders(), campaigns: CAMPAIGNS };
}

type Draft = Omit<GeneratedCase, "id" | "caseNo"> & { districtCode: string };

type Context = {
  reference: Reference;
  officeIdsByDistrict: Map<string, number[]>; // the district itself first, then subordinates
  holderCumulative: Float64Array;
  holderSets: { since2016: number[]; qingfengRest: number[] };
  campaignId: (code: string) => number;
};

function buildContext(reference: Reference): Context {
  const officeIdsByDistrict = new Map<string, number[]>();
  reference.offices.forEach((office, index) => {
    const district = office.districtCode ?? office.code;
    const list = officeIdsByDistrict.get(district) ?? [];
    if (office.districtCode === null) list.unshift(index + 1);
    else list.push(index + 1);
    officeIdsByDistrict.set(district, list);
  });

  // A fixed popularity for every holder: a few brands are counterfeited far more than others.
  const popularity = createRandom(424242);
  const industrySize = new Map<Industry, number>();
  for (const h of reference.holders) industrySize.set(h.industry, (industrySize.get(h.industry) ?? 0) + 1);
  const cumulative = new Float64Array(reference.holders.length);
  let running = 0;
  reference.holders.forEach((holder, index) => {
    const zipf = 1 / Math.pow(1 + popularity.int(0, 40), 0.9);
    running += (INDUSTRY_VOLUME[holder.industry] / industrySize.get(holder.industry)!) * zipf;
    cumulative[index] = running;
  });

  // The published Kunming figures name >90 foreign-invested right holders since 2016 and
  // 276 right holders over the Qingfeng action: fixed sets, drawn once.
  const sets = createRandom(63276);
  const ids = reference.holders.map((_, i) => i + 1);
  const foreign = sets.shuffle(ids.filter((id) => reference.holders[id - 1]!.foreignInvested));
  const since2016 = foreign.slice(0, 94);
  const taken = new Set(since2016);
  const qingfengRest = sets.shuffle(ids.filter((id) => !taken.has(id))).slice(0, 276 - 94);
  if (since2016.length !== 94 || qingfengRest.length !== 182) throw new Error("not enough right holders for the Kunming figures");

  const campaignIds = new Map(reference.campaigns.map((c, i) => [c.code, i + 1]));
  return {
    reference,
    officeIdsByDistrict,
    holderCumulative: cumulative,
    holderSets: { since2016, qingfengRest },
    campaignId: (code) => {
      const id = campaignIds.get(code);
      if (!id) throw new Error(`unknown campaign ${code}`);
      return id;
    },
  };
}

function pickHolder(random: Random, ctx: Context): number {
  const c = ctx.holderCumulative;
  const r = random.next() * c[c.length - 1]!;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid]! <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function logNormal(random: Random, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * gaussian(random)))));
}

function statusFor(random: Random, day: number): CaseStatus {
  const age = DATA_END_DAY - day;
  if (age > 540)
    return random.weighted<CaseStatus>([["closed", 72], ["penalised", 12], ["referred_to_police", 3], ["released", 6], ["infringement_confirmed", 7]]);
  if (age > 180)
    return random.weighted<CaseStatus>([["closed", 40], ["penalised", 25], ["infringement_confirmed", 15], ["referred_to_police", 3], ["released", 6], ["under_investigation", 11]]);
  return random.weighted<CaseStatus>([["detained", 25], ["under_investigation", 35], ["infringement_confirmed", 20], ["penalised", 10], ["released", 5], ["closed", 5]]);
}

type DraftInput = {
  districtCode: string;
  day: number;
  holderIds: number[];
  infringementType: InfringementType;
  campaignId: number | null;
  pieces?: number;
  valueYuan?: number;
};

function draftCase(random: Random, ctx: Context, input: DraftInput): Draft {
  const { districtCode, day, holderIds } = input;
  const kunming = districtCode === KUNMING;
  const offices = ctx.officeIdsByDistrict.get(districtCode)!;
  const officeId = offices.length > 1 && random.chance(kunming ? 0.7 : 0.3) ? offices[random.int(1, offices.length - 1)]! : offices[0]!;
  const lead = ctx.reference.holders[holderIds[0]! - 1]!;
  const goodsCategory = random.chance(0.03) ? random.pick(LICENSED_CATEGORIES) : random.weighted(INDUSTRY_CATEGORIES[lead.industry]);
  const goods = GOODS[goodsCategory];
  const noun = random.pick(goods.nouns);

  let channel = random.weighted(kunming ? KUNMING_CHANNELS : CHANNEL_WEIGHTS);
  if (channel === "border_trade" && !BORDER_DISTRICTS.has(districtCode)) channel = "general_freight";
  const year = Number(isoOfDay(day).slice(0, 4));
  if (channel === "cross_border_ecommerce" && year < 2015) channel = "express";
  if (channel === "market_procurement" && year < 2014) channel = "general_freight";
  const transport = random.weighted(TRANSPORT_BY_CHANNEL[channel]);
  const direction: Direction = random.chance(kunming ? 0.85 : 0.965) ? "export" : "import";
  const small = SMALL_CONSIGNMENT.has(channel);

  const pieces = input.pieces ?? (small ? logNormal(random, 12, 1.3, 1, 2_000) : logNormal(random, 600, 1.3, 10, 200_000));
  const [lowPrice, highPrice] = goods.yuanPerPiece;
  // most counterfeits are cheap: prices lean towards the low end of the category's range
  const valueYuan = input.valueYuan ?? pieces * Math.round(lowPrice + (highPrice - lowPrice) * Math.pow(random.next(), 3));

  const status = statusFor(random, day);
  const concluded = status === "closed" || status === "penalised" || status === "referred_to_police";
  let disposal: Disposal | null = null;
  if (concluded && status !== "referred_to_police") {
    disposal = random.weighted<Disposal>([
      ["destroyed", 45], ["green_destruction", year >= 2016 ? 30 : 4], ["public_welfare", 10],
      ["sold_to_right_holder", 5], ["auctioned", 10],
    ]);
  } else if (status === "referred_to_police") disposal = random.chance(0.5) ? "destroyed" : null;
  const penalised = (status === "penalised" || status === "closed") && random.chance(0.7);
  const penaltyFen = penalised ? Math.max(100, Math.round(valueYuan * (0.05 + random.next() * 0.25))) * 100 : null;

  const brand = lead.name.replace(/^Maison /, "").split(" ")[0]!;
  const typeLabel = infringementTypes.labels[input.infringementType].en.toLowerCase();
  const description =
    input.infringementType === "trademark"
      ? random.pick(TRADEMARK_WORDINGS)(brand, noun)
      : input.infringementType === "copyright"
        ? `Pirated ${brand} ${noun}`
        : input.infringementType === "olympic_symbol" || input.infringementType === "world_expo_symbol"
          ? `${capitalise(noun)} with ${typeLabel}s, ${brand} packaging`
          : `${capitalise(noun)} copying a ${typeLabel} of ${lead.name}`;

  return {
    districtCode,
    officeId,
    seizedOn: isoOfDay(day),
    infringementType: input.infringementType,
    goodsCategory,
    goodsDescription: description,
    pieces,
    valueFen: valueYuan * 100,
    direction,
    channel,
    transport,
    protectionMode: random.chance(kunming ? 0.97 : 0.992) ? "ex_officio" : "on_application",
    originCountry: direction === "export" ? "CN" : random.weighted(IMPORT_ORIGINS),
    destinationCountry: direction === "export" ? random.weighted(kunming ? KUNMING_DESTINATIONS : EXPORT_DESTINATIONS) : "CN",
    campaignId: input.campaignId,
    status,
    disposal,
    hearingHeld: penalised && random.chance(0.05),
    referredToPolice: status === "referred_to_police" || (status === "closed" && random.chance(0.01)),
    penaltyFen,
    notes: null,
    // entered on the day of seizure or a few days later, during office hours (Beijing time)
    createdAt: (day + random.int(0, 6)) * DAY_MS + random.int(1, 9) * 3_600_000,
    rightHolderIds: holderIds,
  };
}

const TRADEMARK_WORDINGS: ((brand: string, noun: string) => string)[] = [
  (brand, noun) => `Counterfeit ${brand} ${noun}`,
  (brand, noun) => `${capitalise(noun)} with fake ${brand} logos`,
  (brand, noun) => `${brand}-branded ${noun}`,
  (brand, noun) => `${capitalise(noun)} sold as ${brand}`,
  (brand, noun) => `Imitation ${brand} ${noun}`,
];

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function nationalHolders(random: Random, ctx: Context): number[] {
  const first = pickHolder(random, ctx);
  const extra = random.weighted<number>([[0, 85], [1, 12], [2, 3]]);
  const ids = [first];
  for (let i = 0; i < extra; i++) {
    const id = pickHolder(random, ctx);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function nationalCampaign(random: Random, ctx: Context, day: number, channel: "small" | "freight"): number | null {
  const iso = isoOfDay(day);
  if (iso >= "2015-01-01" && iso <= "2017-12-31") return random.chance(0.08) ? ctx.campaignId("qingfeng") : null;
  if (iso >= "2019-05-01") {
    const r = random.next();
    if (channel === "small") return r < 0.12 ? ctx.campaignId("lanwang") : r < 0.16 ? ctx.campaignId("jingwang") : null;
    return r < 0.12 ? ctx.campaignId("longteng") : null;
  }
  if (iso >= "2019-03-01" && channel === "freight") return random.chance(0.12) ? ctx.campaignId("longteng") : null;
  return null;
}

function dayIn(random: Random, fromIso: string, toIso: string): number {
  return random.int(epochDay(fromIso), epochDay(toIso));
}

function kunmingPlan(seed: number, totalCases: number, ctx: Context): Map<number, Draft[]> {
  const random = createRandom((seed * 2654435761 + 8600) >>> 0);
  const byYear = new Map<number, Draft[]>();
  const add = (d: Draft) => {
    const year = Number(d.seizedOn.slice(0, 4));
    const list = byYear.get(year) ?? [];
    list.push(d);
    byYear.set(year, list);
  };
  const qingfeng = ctx.campaignId("qingfeng");
  const mostlyTrademark = (count: number, minor: number) => {
    const types: InfringementType[] = Array.from({ length: count }, (_, i) => (i < minor ? random.pick(MINOR_TYPES) : "trademark"));
    return random.shuffle(types);
  };
  /** Spreads `pool` over `count` cases so every holder of the pool is named at least once. */
  const spreadHolders = (count: number, pool: number[]): number[][] => {
    const order = random.shuffle([...pool]);
    const lists = Array.from({ length: count }, (_, i) => [order[i % order.length]!]);
    for (let i = count; i < order.length; i++) {
      let target = random.int(0, count - 1);
      while (lists[target]!.includes(order[i]!)) target = (target + 1) % count;
      lists[target]!.push(order[i]!);
    }
    for (const list of lists) if (random.chance(0.15)) {
      const extra = random.pick(pool);
      if (!list.includes(extra)) list.push(extra);
    }
    return lists;
  };

  // 2014: 96 cases, RMB 7,000,000.00, 544,000 pieces.
  const f2014 = PUBLISHED_FIGURES.year2014;
  const pieces2014 = splitExactly(random, f2014.pieces.exactly, f2014.cases, 20);
  const value2014 = splitExactly(random, f2014.valueFen / 100, f2014.cases, 500);
  const types2014 = mostlyTrademark(f2014.cases, 5);
  for (let i = 0; i < f2014.cases; i++) {
    add(draftCase(random, ctx, {
      districtCode: KUNMING, day: dayIn(random, f2014.from, f2014.to), holderIds: nationalHolders(random, ctx),
      infringementType: types2014[i]!, campaignId: null, pieces: pieces2014[i]!, valueYuan: value2014[i]!,
    }));
  }

  // 2016-01-01 … 2017-06-07: 63 cases, RMB 6,250,000.00, 300,000–400,000 pieces, 94 foreign-invested holders.
  const fA = PUBLISHED_FIGURES.since2016;
  const piecesA = random.int(fA.pieces.over + 5_000, fA.pieces.under - 5_000);
  const piecesSplitA = splitExactly(random, piecesA, fA.cases, 50);
  const valueA = splitExactly(random, fA.valueFen / 100, fA.cases, 2_000);
  const typesA = mostlyTrademark(fA.cases, 9);
  const holdersA = spreadHolders(fA.cases, ctx.holderSets.since2016);
  for (let i = 0; i < fA.cases; i++) {
    add(draftCase(random, ctx, {
      districtCode: KUNMING, day: dayIn(random, fA.from, fA.to), holderIds: holdersA[i]!,
      infringementType: typesA[i]!, campaignId: qingfeng, pieces: piecesSplitA[i]!, valueYuan: valueA[i]!,
    }));
  }

  // The rest of Qingfeng (2015 and 2017-06-08 … 2017-12-31): 214 cases in all, RMB 14,720,000.00,
  // more than 630,000 pieces, 276 right holders.
  const fQ = PUBLISHED_FIGURES.qingfeng;
  const restCount = fQ.cases - fA.cases;
  const piecesQ = random.int(fQ.pieces.over + 5_000, fQ.pieces.over + 60_000);
  const piecesSplitQ = splitExactly(random, piecesQ - piecesA, restCount, 20);
  const valueQ = splitExactly(random, (fQ.valueFen - fA.valueFen) / 100, restCount, 500);
  const typesQ = mostlyTrademark(restCount, 12);
  const holdersQ = spreadHolders(restCount, ctx.holderSets.qingfengRest);
  for (let i = 0; i < restCount; i++) {
    const day = i < 95 ? dayIn(random, fQ.from, "2015-12-31") : dayIn(random, "2017-06-08", fQ.to);
    add(draftCase(random, ctx, {
      districtCode: KUNMING, day, holderIds: holdersQ[i]!, infringementType: typesQ[i]!,
      campaignId: qingfeng, pieces: piecesSplitQ[i]!, valueYuan: valueQ[i]!,
    }));
  }

  // A few Kunming cases outside the action in the same years, so the campaign filter matters.
  for (let i = 0; i < 16; i++) {
    const day = i < 10 ? dayIn(random, "2015-01-01", "2015-12-31") : dayIn(random, "2017-06-08", "2017-12-31");
    add(draftCase(random, ctx, {
      districtCode: KUNMING, day, holderIds: nationalHolders(random, ctx), infringementType: "trademark", campaignId: null,
    }));
  }

  // Other years: about 0.4% of the national volume, at least three a year.
  const totalWeight = Object.values(YEAR_WEIGHTS).reduce((s, w) => s + w, 0);
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    if (year >= 2014 && year <= 2017) continue;
    const count = Math.max(3, Math.round((totalCases * YEAR_WEIGHTS[year]!) / totalWeight * 0.004));
    for (let i = 0; i < count; i++) {
      const day = dayIn(random, `${year}-01-01`, `${year}-12-31`);
      const drafted = draftCase(random, ctx, {
        districtCode: KUNMING, day, holderIds: nationalHolders(random, ctx),
        infringementType: random.weighted(NATIONAL_TYPES), campaignId: null,
      });
      drafted.campaignId = nationalCampaign(random, ctx, day, SMALL_CONSIGNMENT.has(drafted.channel) ? "small" : "freight");
      add(drafted);
    }
  }
  return byYear;
}

/** Yields each year's cases, in date order, numbered, with ids continuing across years. */
export function* generateCases(options: { cases: number; seed: number; reference: Reference }): Generator<GeneratedCase[]> {
  const { cases: totalCases, seed, reference } = options;
  if (!Number.isInteger(totalCases) || totalCases < MIN_CASES || totalCases > MAX_CASES) {
    throw new RangeError(`cases must be a whole number from ${MIN_CASES} to ${MAX_CASES}`);
  }
  const ctx = buildContext(reference);
  const kunming = kunmingPlan(seed, totalCases, ctx);
  let kunmingTotal = 0;
  for (const list of kunming.values()) kunmingTotal += list.length;
  const national = totalCases - kunmingTotal;

  // Cases per year, proportional to the national figures, summing exactly to `national`.
  const years = Object.keys(YEAR_WEIGHTS).map(Number);
  const perYear = splitByWeights(national, years.map((y) => YEAR_WEIGHTS[y]!));
  const districtList = Object.entries(DISTRICT_WEIGHTS) as [string, number][];

  const random = createRandom(seed >>> 0);
  let nextId = 1;
  let nationalIndex = 0;
  for (const [yearIndex, year] of years.entries()) {
    const drafts: Draft[] = [...(kunming.get(year) ?? [])];
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    for (let i = 0; i < perYear[yearIndex]!; i++) {
      // The first national cases visit every district once, so none is empty.
      const districtCode = nationalIndex < districtList.length ? districtList[nationalIndex]![0] : random.weighted(districtList);
      nationalIndex++;
      const day = dayIn(random, from, to);
      const drafted = draftCase(random, ctx, {
        districtCode, day, holderIds: nationalHolders(random, ctx),
        infringementType: random.weighted(NATIONAL_TYPES), campaignId: null,
      });
      drafted.campaignId = nationalCampaign(random, ctx, day, SMALL_CONSIGNMENT.has(drafted.channel) ? "small" : "freight");
      drafts.push(drafted);
    }
    if (year === SURGE.year && totalCases >= SURGE.minCases) plantSurge(seed, drafts);
    // Stable sort by date (ties keep generation order), then number per district.
    const order = drafts.map((d, i) => [d.seizedOn, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    const seq = new Map<string, number>();
    const out: GeneratedCase[] = new Array(order.length);
    order.forEach(([, index], k) => {
      const { districtCode, ...draft } = drafts[index]!;
      const n = (seq.get(districtCode) ?? 0) + 1;
      seq.set(districtCode, n);
      out[k] = { id: nextId++, caseNo: `${districtCode}-${year}-${String(n).padStart(4, "0")}`, ...draft };
    });
    yield out;
  }
}

/**
 * The demo's one hot spot, so that the Risk page has something to show (issue 18): a run of
 * seizures at Nanning Customs (7200, on the border with Viet Nam) in December 2025. A quarter
 * of the district's cases of that year, drawn from their own random stream, move into
 * December (their entry time moves with them); the year's and the district's totals, every
 * other case, and Kunming's published figures stay as they were. Only in a demo of 50,000 cases
 * or more (the default is 100,000): a smaller one holds too few of Nanning's cases for a rise to
 * be told from chance, and moving most of them would plant rises in their goods categories.
 */
export const SURGE = { district: "7200", year: LAST_YEAR, from: `${LAST_YEAR}-12-01`, to: `${LAST_YEAR}-12-31`, share: 0.25, minCases: 50_000 } as const;

function plantSurge(seed: number, drafts: Draft[]): void {
  const random = createRandom((seed * 2654435761 + 7200) >>> 0);
  const first = epochDay(SURGE.from);
  const last = epochDay(SURGE.to);
  // a quarter of the district's earlier cases of the year
  const earlier = drafts.filter((d) => d.districtCode === SURGE.district && d.seizedOn < SURGE.from);
  for (let i = earlier.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [earlier[i], earlier[j]] = [earlier[j]!, earlier[i]!];
  }
  const moved = Math.round(earlier.length * SURGE.share);
  for (const d of earlier.slice(0, moved)) {
    const day = random.int(first, last);
    d.createdAt += (day - epochDay(d.seizedOn)) * DAY_MS;
    d.seizedOn = isoOfDay(day);
  }
}

function splitByWeights(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - out.reduce((s, v) => s + v, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i]! += 1;
  return out;
}
