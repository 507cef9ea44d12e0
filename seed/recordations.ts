import type { Industry, InfringementType, RecordationApproval, RecordationPartyKind } from "../lib/enums";
import type { Random } from "../lib/prng";
import { addDays, addMonths, defaultValidTo, renewedValidTo } from "../lib/recordations";

// Plausible customs IP recordations for the demo data: every right holder gets one or more,
// mostly trademarks (≈ 95% of recordations, as of detentions) with the Nice classes of its
// industry, some renewed, a few expiring soon, expired, awaiting approval or revoked.
// Pure: the same holders and PRNG state give the same recordations. The seed writes them
// (the numbers are unique across the whole result).

export type HolderForRecordations = { id: number; name: string; nameZh?: string | null; industry: Industry };

export type GeneratedRecordation = {
  number: string;
  holderId: number;
  kind: InfringementType;
  rightNo: string;
  titleEn: string;
  titleZh: string | null;
  classes: number[];
  validFrom: string;
  validTo: string;
  status: RecordationApproval;
  revokedReason: string | null;
  parties: { kind: RecordationPartyKind; name: string }[];
};

/** The Nice classes the goods of an industry fall in (first: the usual one). */
const CLASSES: Record<Industry, number[]> = {
  wireless_ic: [9, 38, 42],
  luxury: [14, 18, 25, 3],
  lighting: [11, 9],
  personal_care: [3, 5, 21],
  pharma_medical: [5, 10],
  automotive: [12, 7, 4],
  power_distribution: [9, 7, 37],
  machinery_tools: [7, 8, 9],
  apparel_sportswear: [25, 28, 18],
};

const KIND_PREFIX: Record<InfringementType, string> = {
  trademark: "T", copyright: "C", invention_patent: "P", utility_model: "P", design_patent: "P", olympic_symbol: "T", world_expo_symbol: "T",
};

const LICENSEE_SUFFIXES = ["(Shanghai) Trading Co., Ltd.", "(China) Co., Ltd.", "Asia Pacific Ltd.", "(Shenzhen) Electronics Co., Ltd.", "Manufacturing (Suzhou) Co., Ltd."];
const CONSIGNORS = ["Guangzhou Huaxin Logistics Co., Ltd.", "Ningbo Ocean Supply Chain Co., Ltd.", "Shenzhen Pengcheng Import & Export Co., Ltd.", "Xiamen Haitong Trading Co., Ltd.", "Kunming Dianyuan Trade Co., Ltd."];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Recordations for every right holder, as of `today` (YYYY-MM-DD): between one and `max`
 * each (default 3). Their approval dates fall between 2008 and today; a recordation whose
 * ten years ran out was renewed in most cases (its validity chained by ten-year terms).
 */
export function generateRecordations(holders: readonly HolderForRecordations[], random: Random, options: { today: string; max?: number; earliest?: string }): GeneratedRecordation[] {
  const { today } = options;
  const max = Math.max(1, options.max ?? 3);
  const todayYear = Number(today.slice(0, 4));
  const used = new Set<string>();
  const out: GeneratedRecordation[] = [];
  for (const holder of holders) {
    const count = random.int(1, max);
    for (let i = 0; i < count; i++) {
      const kind: InfringementType = i === 0 && options.earliest !== undefined ? "trademark" : random.weighted([["trademark", 95], ["copyright", 2], ["invention_patent", 1], ["design_patent", 1], ["utility_model", 1]] as const);
      // approval between 2008 and today
      const firstYear = random.int(2008, todayYear);
      let validFrom = `${firstYear}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
      if (validFrom > today) validFrom = addMonths(today, -random.int(1, 11));
      let validTo = defaultValidTo(validFrom);
      // most lapsed ones were renewed: ten more years each time
      while (validTo < today && random.chance(0.85)) validTo = renewedValidTo(validTo);
      const year = Number(validFrom.slice(0, 4));
      let number: string;
      do number = `${KIND_PREFIX[kind]}${year}-${pad(random.int(1, 99_999), 5)}`;
      while (used.has(number));
      used.add(number);
      // mostly approved; a few recent ones still pending, a few revoked
      // `earliest`: a holder's first (its main mark) was recorded by then and kept renewed, so
      // cases since then can rest on it
      const core = i === 0 && options.earliest !== undefined;
      if (core && validFrom > options.earliest!) {
        validFrom = addMonths(options.earliest!, -random.int(0, 96));
        validTo = defaultValidTo(validFrom);
      }
      if (core) while (validTo < today) validTo = renewedValidTo(validTo);
      const recent = validFrom >= addMonths(today, -2);
      const status: RecordationApproval = core ? "approved" : recent && random.chance(0.5) ? "pending" : random.chance(0.02) ? "revoked" : "approved";
      const classes = kind === "trademark" ? [...new Set([CLASSES[holder.industry][0]!, ...CLASSES[holder.industry].filter(() => random.chance(0.4))])].sort((a, b) => a - b) : [];
      const word = holder.name.split(/\s+/)[0]!.replace(/[^A-Za-z0-9&-]/g, "") || holder.name;
      const titleEn = kind === "trademark" ? (i === 0 ? word.toUpperCase() : `${word.toUpperCase()} ${random.pick(["logo", "device", "script", "PRO", "ONE"])}`) : `${word} ${kind === "copyright" ? "product artwork" : "product design"} ${i + 1}`;
      const rightNo = kind === "trademark" ? String(random.int(1_000_000, 59_999_999)) : kind === "copyright" ? `国作登字-${year}-F-${pad(random.int(1, 9_999_999), 8)}` : `ZL${year - random.int(1, 5)}${random.int(1, 3)}${pad(random.int(0, 9_999_999), 7)}.${random.int(0, 9)}`;
      const parties: GeneratedRecordation["parties"] = [];
      if (random.chance(0.6)) parties.push({ kind: "licensee", name: `${word} ${random.pick(LICENSEE_SUFFIXES)}` });
      if (random.chance(0.3)) parties.push({ kind: "consignor", name: random.pick(CONSIGNORS) });
      out.push({
        number, holderId: holder.id, kind, rightNo, titleEn, titleZh: holder.nameZh && i === 0 && kind === "trademark" ? holder.nameZh : null,
        classes, validFrom, validTo, status, revokedReason: status === "revoked" ? "The registration of the right was cancelled." : null, parties,
      });
    }
  }
  // a handful expiring within six months, so the list's "expiring" filter has something to show
  const approved = out.filter((r) => r.status === "approved");
  for (let i = 0; i < Math.min(approved.length, Math.max(1, Math.round(approved.length * 0.05))); i++) {
    const r = random.pick(approved);
    r.validTo = addDays(today, random.int(1, 180));
    if (r.validFrom > r.validTo) r.validFrom = addDays(r.validTo, -3650);
  }
  return out;
}
