// The one place where the product's enumerations live. The schema (CHECK constraints),
// the validators, the filters and the UI labels all read these lists.

export type Locale = "en" | "zh";
export const LOCALES = ["en", "zh"] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE: Locale = "en";

type Labels<K extends string> = Record<K, { en: string; zh: string }>;

function defineEnum<const K extends string>(labels: Labels<K>) {
  const values = Object.keys(labels) as K[];
  return {
    values: values as readonly K[] as [K, ...K[]],
    labels,
    is(value: unknown): value is K {
      return typeof value === "string" && Object.prototype.hasOwnProperty.call(labels, value);
    },
    label(value: K, locale: Locale): string {
      return labels[value][locale];
    },
  };
}

export const infringementTypes = defineEnum({
  trademark: { en: "Trademark", zh: "商标权" },
  copyright: { en: "Copyright", zh: "著作权" },
  invention_patent: { en: "Invention patent", zh: "发明专利权" },
  utility_model: { en: "Utility model", zh: "实用新型专利权" },
  design_patent: { en: "Design patent", zh: "外观设计专利权" },
  olympic_symbol: { en: "Olympic symbol", zh: "奥林匹克标志专有权" },
  world_expo_symbol: { en: "World Expo symbol", zh: "世博会标志专有权" },
});
export type InfringementType = (typeof infringementTypes.values)[number];

// GACC's product categories, as used in its annual statistics.
export const goodsCategories = defineEnum({
  apparel_footwear: { en: "Clothing, shoes and hats", zh: "服装鞋帽" },
  bags_leather: { en: "Bags and leather goods", zh: "箱包皮具" },
  watches_jewellery: { en: "Watches and jewellery", zh: "钟表首饰" },
  electronics: { en: "Electronics and electrical", zh: "电子电器" },
  communication: { en: "Communication equipment", zh: "通讯设备" },
  lighting: { en: "Lighting", zh: "灯具照明" },
  cosmetics: { en: "Cosmetics and personal care", zh: "化妆品及个人护理" },
  medicines: { en: "Medicines and medical devices", zh: "药品及医疗器械" },
  auto_parts: { en: "Auto parts", zh: "汽车配件" },
  hardware_machinery: { en: "Hardware, machinery and tools", zh: "五金机械工具" },
  sports_goods: { en: "Sports equipment", zh: "体育用品" },
  toys: { en: "Toys", zh: "玩具" },
  stationery: { en: "Stationery and office", zh: "文具办公用品" },
  tobacco: { en: "Tobacco", zh: "烟草制品" },
  other: { en: "Other", zh: "其他" },
});
export type GoodsCategory = (typeof goodsCategories.values)[number];

// The working groups of the brand-protection association (QBPC).
export const industries = defineEnum({
  wireless_ic: { en: "Wireless and integrated circuits", zh: "无线与集成电路" },
  luxury: { en: "Luxury goods", zh: "奢侈品" },
  lighting: { en: "Lighting", zh: "照明" },
  personal_care: { en: "Personal care", zh: "个人护理" },
  pharma_medical: { en: "Pharmaceuticals and medical devices", zh: "医药与医疗器械" },
  automotive: { en: "Automotive", zh: "汽车" },
  power_distribution: { en: "Power distribution", zh: "配电" },
  machinery_tools: { en: "Machinery and power tools", zh: "机械与电动工具" },
  apparel_sportswear: { en: "Apparel and sportswear", zh: "服装与运动用品" },
});
export type Industry = (typeof industries.values)[number];

export const directions = defineEnum({
  import: { en: "Import", zh: "进口" },
  export: { en: "Export", zh: "出口" },
});
export type Direction = (typeof directions.values)[number];

export const channels = defineEnum({
  general_freight: { en: "General freight", zh: "货运渠道" },
  express: { en: "Express", zh: "快件渠道" },
  postal: { en: "Postal", zh: "邮递渠道" },
  cross_border_ecommerce: { en: "Cross-border e-commerce", zh: "跨境电商" },
  passenger: { en: "Passenger baggage", zh: "旅检渠道" },
  border_trade: { en: "Border trade", zh: "边境贸易" },
  market_procurement: { en: "Market procurement", zh: "市场采购" },
});
export type Channel = (typeof channels.values)[number];

export const transports = defineEnum({
  sea: { en: "Sea", zh: "海运" },
  air: { en: "Air", zh: "空运" },
  road: { en: "Road", zh: "公路" },
  rail: { en: "Rail", zh: "铁路" },
  post: { en: "Post", zh: "邮路" },
});
export type Transport = (typeof transports.values)[number];

export const protectionModes = defineEnum({
  ex_officio: { en: "Ex officio", zh: "依职权保护" },
  on_application: { en: "On application", zh: "依申请保护" },
});
export type ProtectionMode = (typeof protectionModes.values)[number];

export const caseStatuses = defineEnum({
  detained: { en: "Detained", zh: "已扣留" },
  under_investigation: { en: "Under investigation", zh: "调查中" },
  infringement_confirmed: { en: "Infringement confirmed", zh: "已认定侵权" },
  penalised: { en: "Penalised", zh: "已行政处罚" },
  referred_to_police: { en: "Referred to police", zh: "已移交公安" },
  released: { en: "Released", zh: "已放行" },
  closed: { en: "Closed", zh: "已结案" },
});
export type CaseStatus = (typeof caseStatuses.values)[number];

// Art. 27 of the Regulations on Customs Protection of IPR, in its order of preference.
export const disposals = defineEnum({
  public_welfare: { en: "Public-welfare use", zh: "用于社会公益" },
  sold_to_right_holder: { en: "Sold to right holder", zh: "转让给权利人" },
  auctioned: { en: "Auctioned", zh: "拍卖" },
  destroyed: { en: "Destroyed", zh: "销毁" },
  green_destruction: { en: "Green destruction", zh: "绿色销毁" },
});
export type Disposal = (typeof disposals.values)[number];

/** The disposal filter: a disposal, or "none" for goods not disposed of yet. */
export const disposalFilterValues = defineEnum({
  ...disposals.labels,
  none: { en: "Not disposed of yet", zh: "尚未处置" },
});
export type DisposalFilter = (typeof disposalFilterValues.values)[number];

// The detention procedure (issue 16; docs/procedure.md gives the article behind each step).
// lib/procedure.ts is the state machine over these values.
export const procedureSteps = defineEnum({
  suspected: { en: "Release suspended (suspected infringement)", zh: "发现侵权嫌疑（中止放行）" },
  application_filed: { en: "Right holder's application for detention", zh: "权利人申请扣留" },
  notice_sent: { en: "Notice sent to the right holder", zh: "书面通知权利人" },
  holder_answered: { en: "Right holder answered", zh: "权利人答复" },
  no_answer: { en: "No answer in time", zh: "权利人逾期未答复" },
  detained: { en: "Goods detained", zh: "扣留货物" },
  investigation_started: { en: "Investigation opened", zh: "开始调查" },
  determination: { en: "Determination", zh: "侵权认定" },
  court_order: { en: "Court order received", zh: "收到法院协助执行通知" },
  hearing: { en: "Hearing held", zh: "举行听证" },
  penalty: { en: "Administrative penalty", zh: "行政处罚" },
  referral_to_police: { en: "Referred to police", zh: "移交公安机关" },
  released: { en: "Goods released", zh: "放行货物" },
  disposal: { en: "Goods disposed of", zh: "处置货物" },
});
export type ProcedureStepKind = (typeof procedureSteps.values)[number];

/** The right holder's answer to a detention notice (Measures Art. 22). */
export const holderAnswers = defineEnum({
  requests_detention: { en: "Requests detention", zh: "申请扣留" },
  declines: { en: "Declines (no detention)", zh: "不申请扣留" },
});
export type HolderAnswer = (typeof holderAnswers.values)[number];

/** The form of the right holder's bond (Measures Arts. 23, 24, 38). */
export const bondKinds = defineEnum({
  deposit: { en: "Cash deposit", zh: "保证金" },
  bank_guarantee: { en: "Letter of guarantee", zh: "保函" },
  general_bond: { en: "General bond", zh: "总担保" },
});
export type BondKind = (typeof bondKinds.values)[number];

/** Customs' finding after investigation (Regulations Art. 20). */
export const determinations = defineEnum({
  infringing: { en: "Infringing", zh: "认定侵权" },
  not_infringing: { en: "Not infringing", zh: "认定不侵权" },
  not_determinable: { en: "Cannot be determined", zh: "不能认定" },
});
export type Determination = (typeof determinations.values)[number];

/** Why goods were released (Regulations Arts. 16 and 24). */
export const releaseGrounds = defineEnum({
  holder_declined: { en: "Right holder did not ask for detention", zh: "权利人不申请扣留" },
  no_answer: { en: "Right holder did not answer in time", zh: "权利人逾期未答复" },
  not_infringing: { en: "Found not infringing", zh: "认定不侵权" },
  no_court_order_in_time: { en: "No court order in time", zh: "期限内未收到法院协助执行通知" },
  counter_bond: { en: "Consignee gave a counter-bond (patent)", zh: "收发货人提供等值担保（专利）" },
  consignee_evidence: { en: "Consignee proved the goods genuine", zh: "收发货人证明未侵权" },
  application_withdrawn: { en: "Right holder withdrew the application", zh: "权利人撤回扣留申请" },
  court_decision: { en: "Court decision", zh: "法院裁判" },
});
export type ReleaseGround = (typeof releaseGrounds.values)[number];

/** The periods an open step of the procedure runs against (Regulations Arts. 16, 20, 24). */
export const procedureDeadlines = defineEnum({
  answer: { en: "Right holder's answer (3 working days)", zh: "权利人答复（3个工作日）" },
  determination: { en: "Investigation and determination (30 working days)", zh: "调查认定（30个工作日）" },
  court_order: { en: "Court order", zh: "法院协助执行通知" },
});
export type ProcedureDeadlineKind = (typeof procedureDeadlines.values)[number];

/** Why lib/procedure.ts refuses a step: codes the UI shows in either language. */
export const transitionRefusals = defineEnum({
  invalid_step: { en: "The step is incomplete or malformed", zh: "步骤信息不完整或格式有误" },
  must_start_procedure: { en: "A procedure starts with a suspension of release or a right holder's application", zh: "程序须以中止放行或权利人申请扣留开始" },
  not_allowed_after: { en: "This step cannot follow the latest step", zh: "该步骤不能接在最近一步之后" },
  procedure_ended: { en: "The procedure has ended", zh: "程序已终结" },
  before_previous_step: { en: "The step is dated before the latest step", zh: "该步骤时间早于最近一步" },
  answer_deadline_passed: { en: "The answer came after the deadline", zh: "答复已超过期限" },
  deadline_not_passed: { en: "The deadline has not passed yet", zh: "期限尚未届满" },
  bond_required: { en: "A request for detention needs a bond", zh: "申请扣留须提供担保" },
  bond_not_allowed: { en: "A bond goes only with a request for detention", zh: "仅申请扣留时提供担保" },
  bond_below_required: { en: "The bond is below the amount the Measures require", zh: "担保金额低于规定数额" },
  document_no_required: { en: "The document number is required", zh: "须填写文书编号" },
  release_ground_not_allowed: { en: "This ground for release does not fit the procedure", zh: "该放行理由与程序不符" },
  holiday_calendar_unknown: { en: "The holiday arrangement of that year is not known: enter it in the calendar table", zh: "该年度节假日安排未知，请在日历表中录入" },
});
export type TransitionRefusal = (typeof transitionRefusals.values)[number];

// The provinces customs offices sit in, keyed by the English name stored with each office.
export const provinces = defineEnum({
  "Anhui": { en: "Anhui", zh: "安徽" },
  "Beijing": { en: "Beijing", zh: "北京" },
  "Chongqing": { en: "Chongqing", zh: "重庆" },
  "Fujian": { en: "Fujian", zh: "福建" },
  "Gansu": { en: "Gansu", zh: "甘肃" },
  "Guangdong": { en: "Guangdong", zh: "广东" },
  "Guangxi": { en: "Guangxi", zh: "广西" },
  "Guizhou": { en: "Guizhou", zh: "贵州" },
  "Hainan": { en: "Hainan", zh: "海南" },
  "Hebei": { en: "Hebei", zh: "河北" },
  "Heilongjiang": { en: "Heilongjiang", zh: "黑龙江" },
  "Henan": { en: "Henan", zh: "河南" },
  "Hubei": { en: "Hubei", zh: "湖北" },
  "Hunan": { en: "Hunan", zh: "湖南" },
  "Inner Mongolia": { en: "Inner Mongolia", zh: "内蒙古" },
  "Jiangsu": { en: "Jiangsu", zh: "江苏" },
  "Jiangxi": { en: "Jiangxi", zh: "江西" },
  "Jilin": { en: "Jilin", zh: "吉林" },
  "Liaoning": { en: "Liaoning", zh: "辽宁" },
  "Ningxia": { en: "Ningxia", zh: "宁夏" },
  "Qinghai": { en: "Qinghai", zh: "青海" },
  "Shaanxi": { en: "Shaanxi", zh: "陕西" },
  "Shandong": { en: "Shandong", zh: "山东" },
  "Shanghai": { en: "Shanghai", zh: "上海" },
  "Shanxi": { en: "Shanxi", zh: "山西" },
  "Sichuan": { en: "Sichuan", zh: "四川" },
  "Tianjin": { en: "Tianjin", zh: "天津" },
  "Tibet": { en: "Tibet", zh: "西藏" },
  "Xinjiang": { en: "Xinjiang", zh: "新疆" },
  "Yunnan": { en: "Yunnan", zh: "云南" },
  "Zhejiang": { en: "Zhejiang", zh: "浙江" },
  "Hong Kong": { en: "Hong Kong", zh: "香港" },
  "Macao": { en: "Macao", zh: "澳门" },
  "Taiwan": { en: "Taiwan", zh: "台湾" },
});
export type Province = (typeof provinces.values)[number];

/** A stored province in the reader's language (a name not in the list is shown as stored). */
export function provinceLabel(stored: string, locale: Locale): string {
  return provinces.is(stored) ? provinces.label(stored, locale) : stored;
}

export const auditActions = defineEnum({
  create: { en: "Created", zh: "创建" },
  update: { en: "Edited", zh: "修改" },
  delete: { en: "Deleted", zh: "删除" },
  restore: { en: "Restored", zh: "恢复" },
  import: { en: "Imported", zh: "导入" },
  merge: { en: "Merged", zh: "合并" },
});
export type AuditAction = (typeof auditActions.values)[number];

// Customs IP recordations (Reg. Arts. 7-10): the approval state stored; validity derived from the dates.
export const recordationApprovals = defineEnum({
  pending: { en: "Awaiting approval", zh: "待审批" },
  approved: { en: "Approved", zh: "已核准" },
  revoked: { en: "Revoked", zh: "已撤销" },
});
export type RecordationApproval = (typeof recordationApprovals.values)[number];

/** What a reader sees: derived from the approval state, the dates and today (never stored). */
export const recordationStates = defineEnum({
  pending: { en: "Awaiting approval", zh: "待审批" },
  valid: { en: "Valid", zh: "有效" },
  expiring: { en: "Expiring within 6 months", zh: "6个月内到期" },
  expired: { en: "Expired", zh: "已过期" },
  revoked: { en: "Revoked", zh: "已撤销" },
});
export type RecordationState = (typeof recordationStates.values)[number];

/** The parties of a recordation whose goods are genuine (Measures Art. 7). */
export const recordationPartyKinds = defineEnum({
  licensee: { en: "Licensee", zh: "被许可人" },
  consignor: { en: "Authorised consignor", zh: "授权收发货人" },
});
export type RecordationPartyKind = (typeof recordationPartyKinds.values)[number];

/** What a notification tells (db/notifications.ts): each kind's text is in messages/*.json, "notifications.text". */
export const notificationKinds = defineEnum({
  detention_notice: { en: "Detention notice", zh: "扣留通知" },
  deadline_tomorrow: { en: "Deadline in one working day", zh: "期限还剩一个工作日" },
  recordation_expiring_6m: { en: "Recordation expires in 6 months", zh: "备案6个月后到期" },
  recordation_expiring_1m: { en: "Recordation expires in 1 month", zh: "备案1个月后到期" },
});
export type NotificationKind = (typeof notificationKinds.values)[number];
/** What a file attached to a case is (issue 17): photos of the goods and the procedure's documents. */
export const attachmentKinds = defineEnum({
  goods_photo: { en: "Photo of the goods", zh: "货物照片" },
  packaging: { en: "Packaging", zh: "包装" },
  detention_notice: { en: "Detention notice", zh: "扣留通知书" },
  holder_answer: { en: "Right holder's answer / identification report", zh: "权利人回复／侵权认定报告" },
  bond_receipt: { en: "Bond receipt", zh: "担保收据" },
  determination: { en: "Determination", zh: "侵权认定书" },
  penalty_decision: { en: "Penalty decision", zh: "行政处罚决定书" },
  destruction_record: { en: "Destruction record", zh: "销毁记录" },
  other: { en: "Other", zh: "其他" },
});
export type AttachmentKind = (typeof attachmentKinds.values)[number];

/** What a genuine-versus-fake photo pair of an authentication guide shows (issue 17, item 2). */
export const guideFeatures = defineEnum({
  packaging: { en: "Packaging", zh: "包装" },
  label: { en: "Label", zh: "标签" },
  hologram: { en: "Hologram", zh: "防伪全息标" },
  serial_code: { en: "Serial code", zh: "序列号" },
  product: { en: "The product itself", zh: "产品本身" },
  other: { en: "Other feature", zh: "其他特征" },
});
export type GuideFeature = (typeof guideFeatures.values)[number];

/** Whom an authentication guide is shared with: every customs account, or chosen districts' accounts. */
export const guideSharings = defineEnum({
  all: { en: "All customs", zh: "全国海关" },
  districts: { en: "Chosen districts", zh: "指定直属海关" },
});
export type GuideSharing = (typeof guideSharings.values)[number];

// Who a signed-in user is, for the access rules of DESIGN.md (lib/roles.ts).
export const roles = defineEnum({
  admin: { en: "Admin", zh: "管理员" },
  analyst: { en: "Analyst", zh: "分析员" },
  member: { en: "Member (right holder)", zh: "会员（权利人）" },
});
export type Role = (typeof roles.values)[number];
export const isRole = (value: unknown): value is Role => roles.is(value);

// The outbox (db/outbox.ts): a mail waits (pending, possibly leased by a sender), was sent, or was given up.
export const mailStatuses = defineEnum({
  pending: { en: "Waiting", zh: "待发送" },
  sent: { en: "Sent", zh: "已发送" },
  failed: { en: "Given up", zh: "已放弃" },
});
export type MailStatus = (typeof mailStatuses.values)[number];

// ---- parties and routes (issue 18) ---------------------------------------------------------

/** What a party of a case is: a Chinese enterprise (unified social credit code), a foreign one (its registration), or a natural person (identity number; personal information). */
export const partyKinds = defineEnum({
  enterprise: { en: "Enterprise (China)", zh: "境内企业" },
  foreign: { en: "Foreign enterprise", zh: "境外企业" },
  person: { en: "Natural person", zh: "自然人" },
});
export type PartyKind = (typeof partyKinds.values)[number];

/** The roles of a case's parties. */
export const partyRoles = defineEnum({
  consignor: { en: "Consignor", zh: "发货人" },
  consignee: { en: "Consignee", zh: "收货人" },
  declarant: { en: "Declarant / agent", zh: "申报人／代理人" },
});
export type PartyRole = (typeof partyRoles.values)[number];

/**
 * The port of entry or exit: Yunnan's border ports (Kunming customs district) first, then the
 * main sea, air and land ports of the other districts. "other" for any port not listed.
 */
export const ports = defineEnum({
  ruili: { en: "Ruili", zh: "瑞丽" },
  hekou: { en: "Hekou", zh: "河口" },
  mohan: { en: "Mohan", zh: "磨憨" },
  houqiao: { en: "Tengchong Houqiao", zh: "腾冲猴桥" },
  wanding: { en: "Wanding", zh: "畹町" },
  tianbao: { en: "Tianbao", zh: "天保" },
  jinshuihe: { en: "Jinshuihe", zh: "金水河" },
  daluo: { en: "Daluo", zh: "打洛" },
  qingshuihe: { en: "Qingshuihe", zh: "清水河" },
  kunming_airport: { en: "Kunming Changshui Airport", zh: "昆明长水机场" },
  shanghai_yangshan: { en: "Shanghai Yangshan", zh: "上海洋山港" },
  shanghai_pudong_airport: { en: "Shanghai Pudong Airport", zh: "上海浦东机场" },
  shenzhen_yantian: { en: "Shenzhen Yantian", zh: "深圳盐田港" },
  shenzhen_huanggang: { en: "Shenzhen Huanggang", zh: "深圳皇岗" },
  guangzhou_nansha: { en: "Guangzhou Nansha", zh: "广州南沙港" },
  guangzhou_baiyun_airport: { en: "Guangzhou Baiyun Airport", zh: "广州白云机场" },
  ningbo_zhoushan: { en: "Ningbo-Zhoushan", zh: "宁波舟山港" },
  qingdao: { en: "Qingdao", zh: "青岛港" },
  tianjin_xingang: { en: "Tianjin Xingang", zh: "天津新港" },
  xiamen: { en: "Xiamen", zh: "厦门港" },
  dalian: { en: "Dalian", zh: "大连港" },
  beijing_capital_airport: { en: "Beijing Capital Airport", zh: "北京首都机场" },
  yiwu: { en: "Yiwu", zh: "义乌" },
  pingxiang: { en: "Pingxiang (Friendship Pass)", zh: "凭祥友谊关" },
  dongxing: { en: "Dongxing", zh: "东兴" },
  manzhouli: { en: "Manzhouli", zh: "满洲里" },
  erenhot: { en: "Erenhot", zh: "二连浩特" },
  horgos: { en: "Horgos", zh: "霍尔果斯" },
  alashankou: { en: "Alashankou", zh: "阿拉山口" },
  suifenhe: { en: "Suifenhe", zh: "绥芬河" },
  other: { en: "Other port", zh: "其他口岸" },
});
export type Port = (typeof ports.values)[number];

/** Yunnan's border ports (the land ports of the Kunming district). */
export const YUNNAN_BORDER_PORTS = ["ruili", "hekou", "mohan", "houqiao", "wanding", "tianbao", "jinshuihe", "daluo", "qingshuihe"] as const satisfies readonly Port[];

export function isLocale(value: unknown): value is Locale {
  return value === "en" || value === "zh";
}

/** Every enumeration by name, for code that treats them alike (catalog checks, filters). */
export const ENUMS = {
  infringementTypes, goodsCategories, industries, directions, channels, transports,
  protectionModes, caseStatuses, disposals, auditActions, roles, attachmentKinds, partyKinds, partyRoles, ports,
} as const;

/** How often a saved view's digest e-mail goes (issue 20, item 3; lib/digest-period.ts). */
export const digestFrequencies = defineEnum({
  weekly: { en: "weekly", zh: "每周" },
  monthly: { en: "monthly", zh: "每月" },
});
export type DigestFrequency = (typeof digestFrequencies.values)[number];
