import type { CaseInput } from "../lib/case-definition";
import type { GoodsCategory, Port } from "../lib/enums";
import { idCheckChar, usccCheckChar } from "../lib/party-codes";
import { createRandom, type Random } from "../lib/prng";
import type { GeneratedCase, Reference } from "./generate";
import { KUNMING } from "./reference";

// The demo's parties and routes (issue 18), drawn from their OWN random stream so that every
// other field of every case — and so every published figure — is what it was before.
//
// Realistic shapes: most cases name a consignee and a declarant, many a consignor; a few
// consignees are repeat offenders (a skewed draw from each district's pool); consignees come
// in networks that share an address or a customs agent; Kunming's cases follow Yunnan's border
// ports (Ruili, Hekou, Mohan, …) from the neighbouring country's crossing. Natural persons carry
// identity numbers with a valid check character (stored sealed by the writer), enterprises
// unified social credit codes with a valid check character, foreign consignors a registration.

type Party = { kind: "enterprise" | "foreign" | "person"; name: string; code: string; address: string };
type Network = { address: string; agent: number; members: Party[] };
type DistrictPool = { networks: Network[]; loners: Party[]; agents: Party[]; consignors: Party[] };

const SYL = ["Hua", "Xin", "Long", "Feng", "Tai", "Sheng", "Jin", "Rui", "Hong", "Da", "Kang", "Yuan", "Bao", "Lian", "Heng", "Fu", "Mei", "Tong", "Ming", "Xiang"];
const SYL_ZH = ["华", "鑫", "隆", "丰", "泰", "盛", "金", "瑞", "宏", "达", "康", "源", "宝", "联", "恒", "福", "美", "通", "明", "祥"];
const TRADES = [["Trading", "商贸"], ["Import & Export", "进出口"], ["Supply Chain", "供应链"], ["E-commerce", "电子商务"], ["Logistics", "物流"]] as const;
const SURNAMES = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Duan", "Yin", "Dao", "Xu"];
const GIVEN = ["Wei", "Fang", "Min", "Jun", "Lei", "Yan", "Hui", "Qiang", "Ping", "Xia", "Bo", "Ling"];
const STREETS = ["Jiegang Road", "Border Trade Street", "Binjiang Avenue", "Renmin Road", "Xinhua Street", "Jiefang Road", "Industrial Park Road", "Huancheng Road"];

/** Where a district's enterprises and residents are registered: its city and a division code prefix. */
const CITY: Record<string, [city: string, division: string]> = {
  [KUNMING]: ["Kunming", "530100"], "0100": ["Beijing", "110100"], "0200": ["Tianjin", "120100"], "2200": ["Shanghai", "310100"],
  "5300": ["Shenzhen", "440300"], "5100": ["Guangzhou", "440100"], "5200": ["Guangzhou", "440100"], "3100": ["Ningbo", "330200"],
  "2900": ["Hangzhou", "330100"], "4200": ["Qingdao", "370200"], "3700": ["Xiamen", "350200"], "0900": ["Dalian", "210200"],
  "7200": ["Nanning", "450100"], "5700": ["Zhuhai", "440400"],
};
/** Yunnan's border towns by division code: the border ports' residents. */
const YUNNAN_TOWNS: [town: string, division: string, port: Port][] = [
  ["Ruili", "533102", "ruili"], ["Hekou", "532532", "hekou"], ["Mengla", "532823", "mohan"], ["Tengchong", "530581", "houqiao"],
  ["Mangshi", "533103", "wanding"], ["Malipo", "532624", "tianbao"], ["Jinping", "532530", "jinshuihe"], ["Menghai", "532822", "daluo"], ["Gengma", "530926", "qingshuihe"],
];

/** Each Kunming office's port, and the crossing beyond it (the place of loading of an import). */
const KUNMING_PORTS: Record<string, Port[]> = {
  "8601": ["kunming_airport"], "8602": ["daluo", "mohan"], "8603": ["houqiao"], "8604": ["qingshuihe"], "8605": ["mohan"],
  "8606": ["ruili"], "8607": ["wanding"], "8608": ["hekou"], "8609": ["tianbao"], "8610": ["daluo"],
};
const CROSSING: Partial<Record<Port, string>> = {
  ruili: "Muse", wanding: "Pang Hseng", houqiao: "Myitkyina", qingshuihe: "Chinshwehaw", daluo: "Mong La",
  hekou: "Lao Cai", tianbao: "Thanh Thuy", jinshuihe: "Ma Lu Thang", mohan: "Boten",
};
const YUNNAN_LAND: Port[] = ["ruili", "hekou", "mohan", "houqiao", "wanding", "tianbao", "jinshuihe", "daluo", "qingshuihe"];
const DISTRICT_PORTS: Record<string, { sea?: Port; air?: Port; road?: Port }> = {
  "2200": { sea: "shanghai_yangshan", air: "shanghai_pudong_airport" }, "5300": { sea: "shenzhen_yantian", road: "shenzhen_huanggang" },
  "5100": { sea: "guangzhou_nansha", air: "guangzhou_baiyun_airport" }, "5200": { sea: "guangzhou_nansha" }, "3100": { sea: "ningbo_zhoushan" },
  "4200": { sea: "qingdao" }, "0200": { sea: "tianjin_xingang" }, "3700": { sea: "xiamen" }, "0900": { sea: "dalian" },
  "0100": { air: "beijing_capital_airport" }, "2900": { road: "yiwu" }, "7200": { road: "pingxiang" }, "0600": { road: "manzhouli" },
  "9400": { road: "horgos" }, "1900": { road: "suifenhe" }, "0700": { road: "erenhot" },
};
const FOREIGN_PLACES: Record<string, string[]> = {
  MM: ["Muse", "Mandalay", "Yangon"], LA: ["Boten", "Vientiane"], VN: ["Lao Cai", "Hanoi", "Haiphong"], TH: ["Bangkok", "Laem Chabang"],
  US: ["Los Angeles", "New York"], DE: ["Hamburg"], JP: ["Yokohama"], KR: ["Busan"], HK: ["Hong Kong"], FR: ["Le Havre"], IT: ["Genoa"], GB: ["Felixstowe"],
};
const HS: Record<GoodsCategory, string[]> = {
  apparel_footwear: ["6403", "6404", "6109", "6110", "6505"], bags_leather: ["4202", "4203"], watches_jewellery: ["9102", "7117"],
  electronics: ["8518", "8504", "8471"], communication: ["8517"], lighting: ["9405", "8539"], cosmetics: ["3304", "3305"],
  medicines: ["3004", "9018"], auto_parts: ["8708", "4011"], hardware_machinery: ["8467", "8205"], sports_goods: ["9506"],
  toys: ["9503"], stationery: ["9608", "4820"], tobacco: ["2402"], other: ["3926", "9619"],
};
const DECLARED: Record<GoodsCategory, string> = {
  apparel_footwear: "Sports shoes, no brand", bags_leather: "Handbags, plain", watches_jewellery: "Fashion accessories", electronics: "Electronic parts",
  communication: "Phone accessories", lighting: "Lamps", cosmetics: "Daily chemicals", medicines: "Health products", auto_parts: "Auto parts, unbranded",
  hardware_machinery: "Hardware tools", sports_goods: "Sporting goods", toys: "Plastic toys", stationery: "Office supplies", tobacco: "Dried leaves", other: "Sundries",
};

function uscc(r: Random, division: string): string {
  const CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let body = "91" + division;
  for (let i = 0; i < 9; i++) body += CHARS[r.int(i === 0 ? 0 : 0, i < 2 ? 9 : 30)]!;
  return body + usccCheckChar(body)!;
}
function idNumber(r: Random, division: string): string {
  const y = r.int(1960, 2002), m = r.int(1, 12), d = r.int(1, 28);
  const body = `${division}${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}${String(r.int(0, 999)).padStart(3, "0")}`;
  return body + idCheckChar(body);
}
function firmName(r: Random, city: string): string {
  const [trade] = r.pick(TRADES);
  return `${city} ${r.pick(SYL)}${r.pick(SYL).toLowerCase()} ${trade} Co., Ltd.`;
}
const address = (r: Random, town: string) => `${r.int(1, 388)} ${r.pick(STREETS)}, ${town}`;

function districtPool(r: Random, district: string): DistrictPool {
  const [city, division] = CITY[district] ?? ["Guangzhou", "440100"];
  const kunming = district === KUNMING;
  const agents: Party[] = Array.from({ length: kunming ? 14 : 6 }, () => ({
    kind: "enterprise", name: `${city} ${r.pick(SYL)}${r.pick(SYL).toLowerCase()} Customs Brokerage Co., Ltd.`, code: uscc(r, division), address: address(r, city),
  }));
  const someone = (town: string, div: string): Party => r.chance(kunming ? 0.45 : 0.2)
    ? { kind: "person", name: `${r.pick(SURNAMES)} ${r.pick(GIVEN)}`, code: idNumber(r, div), address: address(r, town) }
    : { kind: "enterprise", name: firmName(r, town), code: uscc(r, div), address: address(r, town) };
  const place = () => (kunming ? r.pick(YUNNAN_TOWNS) : [city, division] as const);
  // networks: 3 to 6 consignees at one address, sharing one agent
  const networks: Network[] = Array.from({ length: kunming ? 12 : 4 }, () => {
    const [town, div] = place();
    const shared = address(r, town);
    return { address: shared, agent: r.int(0, agents.length - 1), members: Array.from({ length: r.int(3, 6) }, () => ({ ...someone(town, div), address: shared })) };
  });
  const loners = Array.from({ length: kunming ? 160 : 60 }, () => {
    const [town, div] = place();
    return someone(town, div);
  });
  const consignors: Party[] = Array.from({ length: kunming ? 40 : 20 }, () => ({
    kind: "foreign", name: `${r.pick(["Golden", "Mekong", "Royal", "Global", "Pacific", "Lotus"])} ${r.pick(["Trading", "Export", "Commerce", "Industries"])} ${r.pick(["Ltd", "Co.", "LLC"])}`,
    code: `${r.pick(["MM", "LA", "VN", "TH", "HK", "US"])}${r.int(100000, 9999999)}`, address: `${r.int(1, 99)} ${r.pick(["Main Road", "Market Street", "Harbour Road"])}`,
  }));
  return { networks, loners, agents, consignors };
}

/** A skewed pick: the first few of a list come up far more often (repeat offenders). */
const skewed = <T>(r: Random, items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(items.length * r.next() ** 3))]!;

const PART_KEYS = (role: string, p: Party | null) => ({
  [`${role}Kind`]: p?.kind ?? null, [`${role}Name`]: p?.name ?? null, [`${role}Code`]: p?.code ?? null, [`${role}Address`]: p?.address ?? null,
});

/**
 * The parties and route of each generated case, from a random stream of their own (`seed`):
 * a function called once per case in the generator's order.
 */
export function partyGenerator(seed: number, reference: Reference): (c: GeneratedCase) => Omit<Partial<CaseInput>, "originCountry" | "destinationCountry"> {
  const r = createRandom(seed * 104_729 + 23);
  const pools = new Map<string, DistrictPool>();
  const offices = reference.offices;
  return (c) => {
    const office = offices[c.officeId - 1]!;
    const district = office.districtCode ?? office.code;
    let pool = pools.get(district);
    if (!pool) pools.set(district, (pool = districtPool(r, district)));
    const kunming = district === KUNMING;
    // the route: Kunming's cases at its offices' border ports, the others at their district's ports
    let port: Port | null;
    if (kunming) port = r.pick(KUNMING_PORTS[office.code] ?? YUNNAN_LAND);
    else {
      const ports = DISTRICT_PORTS[district] ?? {};
      port = (c.transport === "air" ? ports.air : c.transport === "road" || c.transport === "rail" ? ports.road : ports.sea) ?? ports.sea ?? ports.air ?? ports.road ?? (r.chance(0.5) ? "other" : null);
    }
    const abroad = c.direction === "import" ? c.originCountry : c.destinationCountry;
    const loadingPlace = c.direction === "import"
      ? (port && CROSSING[port] && r.chance(0.8) ? CROSSING[port]! : FOREIGN_PLACES[abroad] ? r.pick(FOREIGN_PLACES[abroad]!) : null)
      : (CITY[district]?.[0] ?? null);
    const hsHeading = r.chance(0.9) ? r.pick(HS[c.goodsCategory]) : null;
    const declaredDescription = r.chance(0.6) ? DECLARED[c.goodsCategory] : null;
    // the parties: a consignee on most cases (a network's member a third of the time; repeat
    // offenders first in each list), its network's agent or another as declarant, a consignor
    const withParties = r.chance(kunming ? 0.9 : 0.6);
    if (!withParties) return { port, loadingPlace, hsHeading, declaredDescription };
    let consignee: Party;
    let agent: Party | null;
    if (r.chance(0.35)) {
      const network = skewed(r, pool.networks);
      consignee = r.pick(network.members);
      agent = r.chance(0.8) ? pool.agents[network.agent]! : r.pick(pool.agents);
    } else {
      consignee = skewed(r, pool.loners);
      agent = r.chance(0.75) ? skewed(r, pool.agents) : null;
    }
    const consignor = r.chance(0.55) ? skewed(r, pool.consignors) : null;
    const [receiver, sender] = c.direction === "import" ? [consignee, consignor] : [consignor, consignee];
    return {
      port, loadingPlace, hsHeading, declaredDescription,
      ...PART_KEYS("consignor", sender), ...PART_KEYS("consignee", receiver), ...PART_KEYS("declarant", agent),
    } as Omit<Partial<CaseInput>, "originCountry" | "destinationCountry">;
  };
}
