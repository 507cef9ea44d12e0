import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Industry } from "../lib/enums";
import { createRandom } from "../lib/prng";

// Reference data: the 42 direct customs districts (from shared/data), the subordinate
// customs the demo uses, the special actions, and a few hundred fictional right holders.

const here = path.dirname(fileURLToPath(import.meta.url));

export type OfficeSeed = {
  code: string;
  nameEn: string;
  nameZh: string;
  province: string;
  districtCode: string | null; // null: a direct customs district
};

export type CampaignSeed = { code: string; nameEn: string; nameZh: string; startsOn: string; endsOn: string | null };

export type HolderSeed = {
  name: string;
  nameZh: string;
  country: string;
  industry: Industry;
  foreignInvested: boolean;
  qbpcMember: boolean;
};

export const KUNMING = "8600";

export function loadDistricts(): OfficeSeed[] {
  const text = fs.readFileSync(path.join(here, "reference", "customs-districts.csv"), "utf8");
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== "code,name_en,name_zh,province") throw new Error("customs-districts.csv: unexpected header");
  return lines.map((line) => {
    const [code, nameEn, nameZh, province] = line.split(",");
    if (!code || !nameEn || !nameZh || !province) throw new Error(`customs-districts.csv: bad line "${line}"`);
    return { code, nameEn, nameZh, province, districtCode: null };
  });
}

// Kunming's subordinate customs: the first five are confirmed by the source story, the
// rest are likely (DOMAIN.md). Codes of subordinate offices are illustrative.
const SUBORDINATES: [string, string, string, string][] = [
  // code, district, English, Chinese
  ["8601", KUNMING, "Kunming Airport (Changshui) Customs", "昆明机场海关"],
  ["8602", KUNMING, "Xishuangbanna Customs", "西双版纳海关"],
  ["8603", KUNMING, "Tengchong Customs", "腾冲海关"],
  ["8604", KUNMING, "Mengding Customs", "孟定海关"],
  ["8605", KUNMING, "Mengla Customs", "勐腊海关"],
  ["8606", KUNMING, "Ruili Customs", "瑞丽海关"],
  ["8607", KUNMING, "Wanding Customs", "畹町海关"],
  ["8608", KUNMING, "Hekou Customs", "河口海关"],
  ["8609", KUNMING, "Tianbao Customs", "天保海关"],
  ["8610", KUNMING, "Daluo Customs", "打洛海关"],
  ["5301", "5300", "Huanggang Customs", "皇岗海关"],
  ["5302", "5300", "Luohu Customs", "罗湖海关"],
  ["5304", "5300", "Shekou Customs", "蛇口海关"],
  ["5320", "5300", "Shenzhen Bao'an Airport Customs", "深圳宝安机场海关"],
  ["2210", "2200", "Waigaoqiao Customs", "外高桥海关"],
  ["2233", "2200", "Pudong Airport Customs", "浦东机场海关"],
  ["2248", "2200", "Yangshan Customs", "洋山海关"],
  ["3101", "3100", "Beilun Customs", "北仑海关"],
  ["3105", "3100", "Daxie Customs", "大榭海关"],
  ["2901", "2900", "Xiaoshan Airport Customs", "萧山机场海关"],
  ["2934", "2900", "Yiwu Customs", "义乌海关"],
  ["5141", "5100", "Baiyun Airport Customs", "白云机场海关"],
  ["3701", "3700", "Dongdu Customs", "东渡海关"],
  ["5201", "5200", "Dongguan Customs", "东莞海关"],
];

export function loadOffices(): OfficeSeed[] {
  const districts = loadDistricts();
  const byCode = new Map(districts.map((d) => [d.code, d]));
  const subordinates = SUBORDINATES.map(([code, districtCode, nameEn, nameZh]) => {
    const district = byCode.get(districtCode);
    if (!district) throw new Error(`subordinate ${code}: unknown district ${districtCode}`);
    return { code, nameEn, nameZh, province: district.province, districtCode };
  });
  return [...districts, ...subordinates];
}

export const CAMPAIGNS: CampaignSeed[] = [
  { code: "qingfeng", nameEn: "Qingfeng", nameZh: "清风", startsOn: "2015-01-01", endsOn: "2017-12-31" },
  { code: "longteng", nameEn: "Longteng", nameZh: "龙腾", startsOn: "2019-03-01", endsOn: "2025-12-31" },
  { code: "lanwang", nameEn: "Lanwang", nameZh: "蓝网", startsOn: "2019-05-01", endsOn: "2025-12-31" },
  { code: "jingwang", nameEn: "Jingwang", nameZh: "净网", startsOn: "2019-05-01", endsOn: "2025-12-31" },
];

// Syllables with a Chinese transliteration, so every fictional brand has both names.
const SYLLABLES: [string, string][] = [
  ["Ar", "阿"], ["Bel", "贝"], ["Cor", "科"], ["Da", "达"], ["El", "埃"], ["Fen", "芬"],
  ["Gal", "加"], ["Hal", "哈"], ["Ir", "伊"], ["Jor", "乔"], ["Kal", "卡"], ["Lu", "卢"],
  ["Mar", "马"], ["Nor", "诺"], ["Or", "奥"], ["Pel", "佩"], ["Quin", "昆"], ["Ros", "罗"],
  ["Sol", "索"], ["Tor", "托"], ["Ul", "乌"], ["Vel", "维"], ["Wen", "文"], ["Xan", "仙"],
  ["Yar", "亚"], ["Zen", "泽"], ["ta", "塔"], ["vo", "沃"], ["ri", "里"], ["na", "纳"],
  ["lo", "洛"], ["mi", "米"], ["sen", "森"], ["dor", "多"], ["ka", "卡"], ["lin", "林"],
  ["ra", "拉"], ["tis", "蒂"], ["ven", "文"], ["ko", "可"],
];

const INDUSTRY_SUFFIX: Record<Industry, [string, string][]> = {
  wireless_ic: [["Semiconductor", "半导体"], ["Wireless", "无线"], ["Microsystems", "微系统"]],
  luxury: [["Maison", "之家"], ["Milano", "米兰"], ["Paris", "巴黎"]],
  lighting: [["Lighting", "照明"], ["Lamps", "灯具"]],
  personal_care: [["Cosmetics", "化妆品"], ["Beauty", "美妆"], ["Care", "护理"]],
  pharma_medical: [["Pharma", "制药"], ["Medical", "医疗"], ["Biosciences", "生物科学"]],
  automotive: [["Motors", "汽车"], ["Automotive", "汽车部件"]],
  power_distribution: [["Electric", "电气"], ["Power Systems", "电力系统"]],
  machinery_tools: [["Tools", "工具"], ["Machinery", "机械"]],
  apparel_sportswear: [["Sportswear", "运动"], ["Apparel", "服饰"], ["Athletics", "体育"]],
};

// How many fictional holders each industry gets (about 360 in all).
const INDUSTRY_SIZE: Record<Industry, number> = {
  wireless_ic: 36, luxury: 54, lighting: 30, personal_care: 42, pharma_medical: 34,
  automotive: 34, power_distribution: 26, machinery_tools: 34, apparel_sportswear: 70,
};

const FOREIGN_COUNTRIES = ["US", "DE", "JP", "FR", "IT", "CH", "GB", "KR", "SE", "NL", "DK", "FI", "ES", "AT"];

/** Always the same holders, whatever the case seed, so that names are stable across seeds. */
export function buildRightHolders(): HolderSeed[] {
  const random = createRandom(20170607);
  const seen = new Set<string>();
  const holders: HolderSeed[] = [];
  for (const [industry, count] of Object.entries(INDUSTRY_SIZE) as [Industry, number][]) {
    let made = 0;
    while (made < count) {
      const parts = random.chance(0.6) ? 2 : 3;
      let en = "";
      let zh = "";
      for (let i = 0; i < parts; i++) {
        const [s, c] = i === 0 ? random.pick(SYLLABLES.slice(0, 26)) : random.pick(SYLLABLES.slice(26));
        en += s;
        zh += c;
      }
      const [suffixEn, suffixZh] = random.pick(INDUSTRY_SUFFIX[industry]);
      const name = suffixEn === "Maison" ? `Maison ${en}` : `${en} ${suffixEn}`;
      if (seen.has(name) || seen.has(zh + suffixZh)) continue;
      seen.add(name);
      seen.add(zh + suffixZh);
      const foreign = random.chance(0.78);
      holders.push({
        name,
        nameZh: zh + suffixZh,
        country: foreign ? random.pick(FOREIGN_COUNTRIES) : "CN",
        industry,
        foreignInvested: foreign,
        qbpcMember: foreign ? random.chance(0.6) : random.chance(0.2),
      });
      made++;
    }
  }
  return holders;
}
