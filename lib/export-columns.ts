import {
  caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, protectionModes, transports,
  type Locale,
} from "./enums";

// The columns of a case export (CSV and XLSX), in order, with headers in both languages.
// Money is written in yuan with two decimals, computed from integer fen.

export type ExportRow = {
  caseNo: string;
  seizedOn: string;
  districtCode: string;
  districtNameEn: string;
  districtNameZh: string;
  officeCode: string;
  officeNameEn: string;
  officeNameZh: string;
  infringementType: (typeof infringementTypes.values)[number];
  goodsCategory: (typeof goodsCategories.values)[number];
  goodsDescription: string;
  pieces: number;
  valueFen: number;
  direction: (typeof directions.values)[number];
  channel: (typeof channels.values)[number];
  transport: (typeof transports.values)[number];
  protectionMode: (typeof protectionModes.values)[number];
  originCountry: string | null;
  destinationCountry: string | null;
  campaignCode: string | null;
  campaignNameEn: string | null;
  campaignNameZh: string | null;
  status: (typeof caseStatuses.values)[number];
  disposal: (typeof disposals.values)[number] | null;
  hearingHeld: number | boolean;
  referredToPolice: number | boolean;
  penaltyFen: number | null;
  rightHolders: string | null;
  notes: string | null;
};

type Cell = string | number | null;
type Column = { key: string; en: string; zh: string; value: (row: ExportRow, locale: Locale) => Cell };

/** Yuan with two decimals and no grouping, exact from fen: "6250000.00". */
export function plainYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const abs = Math.abs(fen);
  return `${fen < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const yesNo = (v: number | boolean, locale: Locale) => (v ? (locale === "zh" ? "是" : "yes") : locale === "zh" ? "否" : "no");

export const EXPORT_COLUMNS: Column[] = [
  { key: "case_no", en: "Case number", zh: "案件编号", value: (r) => r.caseNo },
  { key: "seized_on", en: "Seized on", zh: "查扣日期", value: (r) => r.seizedOn },
  { key: "district_code", en: "District code", zh: "直属海关代码", value: (r) => r.districtCode },
  { key: "district", en: "Customs district", zh: "直属海关", value: (r, l) => (l === "zh" ? r.districtNameZh : r.districtNameEn) },
  { key: "office_code", en: "Office code", zh: "查发海关代码", value: (r) => r.officeCode },
  { key: "office", en: "Customs office", zh: "查发海关", value: (r, l) => (l === "zh" ? r.officeNameZh : r.officeNameEn) },
  { key: "infringement_type", en: "Infringement type", zh: "侵权类型", value: (r, l) => infringementTypes.label(r.infringementType, l) },
  { key: "goods_category", en: "Goods category", zh: "商品类别", value: (r, l) => goodsCategories.label(r.goodsCategory, l) },
  { key: "goods_description", en: "Goods", zh: "商品描述", value: (r) => r.goodsDescription },
  { key: "pieces", en: "Pieces", zh: "件数", value: (r) => r.pieces },
  { key: "value_yuan", en: "Value (RMB)", zh: "货值（元）", value: (r) => plainYuan(r.valueFen) },
  { key: "direction", en: "Direction", zh: "进出境", value: (r, l) => directions.label(r.direction, l) },
  { key: "channel", en: "Channel", zh: "渠道", value: (r, l) => channels.label(r.channel, l) },
  { key: "transport", en: "Transport", zh: "运输方式", value: (r, l) => transports.label(r.transport, l) },
  { key: "protection_mode", en: "Protection mode", zh: "保护模式", value: (r, l) => protectionModes.label(r.protectionMode, l) },
  { key: "origin_country", en: "Origin", zh: "起运国", value: (r) => r.originCountry },
  { key: "destination_country", en: "Destination", zh: "目的国", value: (r) => r.destinationCountry },
  { key: "campaign", en: "Campaign", zh: "专项行动", value: (r, l) => (l === "zh" ? r.campaignNameZh : r.campaignNameEn) },
  { key: "status", en: "Status", zh: "状态", value: (r, l) => caseStatuses.label(r.status, l) },
  { key: "disposal", en: "Disposal", zh: "处置方式", value: (r, l) => (r.disposal ? disposals.label(r.disposal, l) : null) },
  { key: "hearing_held", en: "Hearing held", zh: "举行听证", value: (r, l) => yesNo(r.hearingHeld, l) },
  { key: "referred_to_police", en: "Referred to police", zh: "移交公安", value: (r, l) => yesNo(r.referredToPolice, l) },
  { key: "penalty_yuan", en: "Penalty (RMB)", zh: "罚款（元）", value: (r) => (r.penaltyFen === null ? null : plainYuan(r.penaltyFen)) },
  { key: "right_holders", en: "Right holders", zh: "权利人", value: (r) => r.rightHolders },
  { key: "notes", en: "Notes", zh: "备注", value: (r) => r.notes },
];

export function exportHeader(locale: Locale): string[] {
  return EXPORT_COLUMNS.map((c) => c[locale]);
}

export function exportCells(row: ExportRow, locale: Locale): Cell[] {
  return EXPORT_COLUMNS.map((c) => c.value(row, locale));
}
