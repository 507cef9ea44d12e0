import { z } from "zod";
import { goodsCategories, guideFeatures, guideSharings } from "./enums";

// Authentication guides (issue 17, item 2): what a guide holds and how its input is checked,
// with no I/O. The field errors are codes translated by the forms (admin.errors, guides.errors).

export const MAX_GUIDE_TEXT = 4000;
export const MAX_GUIDE_LINE = 200;
/** The most photo pairs one guide holds. */
export const MAX_GUIDE_PAIRS = 24;
/** The most markers drawn over one pair's two pictures. */
export const MAX_MARKERS = 24;
/** Guide pictures are kept at most this many pixels a side (as case attachments). */
export const MAX_GUIDE_IMAGE_SIDE = 2560;
/** The most bytes of one guide picture (as case attachments). */
export const MAX_GUIDE_IMAGE_BYTES = 20 * 1024 * 1024;

const blankToNull = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v);
const asList = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

const line = (max = MAX_GUIDE_LINE) => z.string({ error: "required" }).trim().min(1, "required").max(max, "too_long");
const optionalLine = (max = MAX_GUIDE_LINE) => z.preprocess(blankToNull, z.string().trim().max(max, "too_long").nullable());
const text = () => line(MAX_GUIDE_TEXT);
const optionalText = () => optionalLine(MAX_GUIDE_TEXT);

/** Recordation numbers typed one a line or separated by commas. */
const recordationNumbers = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,;，、]+/).map((s) => s.trim().toUpperCase()).filter(Boolean) : asList(v)),
  z.array(z.string().regex(/^[A-Z]\d{4}-\d{5}$/, "recordation_number")).max(50, "too_many"),
);

/** A guide's fields as a member or an admin enters them (the right holder: a member's own company; an admin chooses). */
export const guideInput = z
  .object({
    holderId: z.preprocess(blankToNull, z.coerce.number().int().positive().nullable()).optional(),
    brand: line(120),
    productLine: optionalLine(120),
    titleEn: line(),
    titleZh: line(),
    summaryEn: text(),
    summaryZh: text(),
    fakesEn: optionalText(),
    fakesZh: optionalText(),
    routesEn: optionalText(),
    routesZh: optionalText(),
    contact: line(300),
    sharing: z.enum(guideSharings.values, { error: "choose" }),
    districts: z.preprocess(asList, z.array(z.string().regex(/^\d{4}$/, "unknown")).max(42)),
    categories: z.preprocess(asList, z.array(z.enum(goodsCategories.values, { error: "unknown" })).max(goodsCategories.values.length)),
    recordations: recordationNumbers,
  })
  .superRefine((g, ctx) => {
    if (g.sharing === "districts" && g.districts.length === 0) ctx.addIssue({ code: "custom", path: ["districts"], message: "districts_required" });
  });
export type GuideInput = z.infer<typeof guideInput>;

export type MarkerSide = "genuine" | "fake";
export type Marker = { side: MarkerSide; x: number; y: number; label: string };

const percent = z.coerce.number({ error: "marker_position" }).min(0, "marker_position").max(100, "marker_position");
export const marker = z.object({
  side: z.enum(["genuine", "fake"], { error: "marker_side" }),
  x: percent.transform((v) => Math.round(v * 10) / 10),
  y: percent.transform((v) => Math.round(v * 10) / 10),
  label: z.string({ error: "marker_label" }).trim().min(1, "marker_label").max(80, "marker_label"),
});

/** The markers of a pair, sent as JSON text (the marker editor's hidden field). */
export const markersInput = z.preprocess((v) => {
  if (typeof v !== "string") return v ?? [];
  if (v.trim() === "") return [];
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}, z.array(marker, { error: "markers" }).max(MAX_MARKERS, "too_many"));

/** The text of a photo pair (its pictures come as files). */
export const pairInput = z.object({
  feature: z.enum(guideFeatures.values, { error: "choose" }),
  captionEn: optionalLine(300),
  captionZh: optionalLine(300),
  markers: markersInput,
});
export type PairInput = z.infer<typeof pairInput>;

/** The parts of a guide a version may have changed, as its history names them. */
export const GUIDE_PARTS = ["created", "brand", "title", "summary", "fakes", "routes", "contact", "sharing", "categories", "recordations", "pairs", "markers"] as const;
export type GuidePart = (typeof GUIDE_PARTS)[number];

/** Which parts differ between two states of a guide. */
export function changedParts(before: Record<string, unknown>, after: Record<string, unknown>): GuidePart[] {
  const same = (keys: string[]) => keys.every((k) => JSON.stringify(before[k] ?? null) === JSON.stringify(after[k] ?? null));
  const parts: [GuidePart, string[]][] = [
    ["brand", ["holderId", "brand", "productLine"]],
    ["title", ["titleEn", "titleZh"]],
    ["summary", ["summaryEn", "summaryZh"]],
    ["fakes", ["fakesEn", "fakesZh"]],
    ["routes", ["routesEn", "routesZh"]],
    ["contact", ["contact"]],
    ["sharing", ["sharing", "districts"]],
    ["categories", ["categories"]],
    ["recordations", ["recordations"]],
  ];
  return parts.filter(([, keys]) => !same(keys)).map(([part]) => part);
}

/** The search of the guide list: free text (brand, product, title), a goods category, a recordation number, a right holder. */
export type GuideSearch = { q?: string; category?: string; recordation?: string; holder?: number };

export function parseGuideSearch(raw: Record<string, string | string[] | undefined>): GuideSearch {
  const one = (name: string) => {
    const v = raw[name];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === "string" && s.trim() !== "" ? s.trim().slice(0, 100) : undefined;
  };
  const category = one("category");
  const holder = one("holder");
  return {
    q: one("q"),
    category: category && goodsCategories.is(category) ? category : undefined,
    recordation: one("recordation")?.toUpperCase(),
    holder: holder && /^\d{1,9}$/.test(holder) ? Number(holder) : undefined,
  };
}
