import crypto from "node:crypto";
import sharp from "sharp";
import { thumbnailOf } from "../lib/images";
import { createRandom } from "../lib/prng";
import type { GoodsCategory, GuideFeature, Industry } from "../lib/enums";
import type { Marker } from "../lib/guides";

// The demo's authentication guides (issue 17, items 2 and 4): one guide for each of the right
// holders named most often in Kunming's published period (the demo member's company first),
// each with genuine-versus-fake pairs drawn here as SVG and rendered by sharp (drawn, not
// photographed), with markers on the features that tell them apart. Chosen with a random
// stream of their own: no case, figure or other demo row changes.

export type SeedGuideHolder = { id: number; name: string; industry: Industry; recordationNumbers: string[] };
export type SeedImage = { contentType: string; data: Uint8Array; thumbnail: Uint8Array; width: number; height: number; sha256: string };
export type SeedPair = { feature: GuideFeature; captionEn: string; captionZh: string; markers: Marker[]; genuine: SeedImage; fake: SeedImage };
export type SeedGuide = {
  holderId: number;
  brand: string;
  productLine: string;
  titleEn: string;
  titleZh: string;
  summaryEn: string;
  summaryZh: string;
  fakesEn: string;
  fakesZh: string;
  routesEn: string;
  routesZh: string;
  contact: string;
  sharing: "all" | "districts";
  districtCodes: string[];
  categories: GoodsCategory[];
  recordationNumbers: string[];
  pairs: SeedPair[];
  at: number;
};

const W = 800;
const H = 600;

const PRODUCTS: Record<Industry, { en: string; zh: string; category: GoodsCategory }> = {
  wireless_ic: { en: "Wireless modules", zh: "无线模块", category: "electronics" },
  luxury: { en: "Leather handbags", zh: "皮革手提包", category: "bags_leather" },
  lighting: { en: "LED lamps", zh: "发光二极管灯具", category: "lighting" },
  personal_care: { en: "Shampoo and skin care", zh: "洗发水及护肤品", category: "cosmetics" },
  pharma_medical: { en: "Tablets in blister packs", zh: "泡罩包装片剂", category: "medicines" },
  automotive: { en: "Brake pads and filters", zh: "刹车片及滤清器", category: "auto_parts" },
  power_distribution: { en: "Circuit breakers", zh: "断路器", category: "electronics" },
  machinery_tools: { en: "Power drills", zh: "电钻", category: "hardware_machinery" },
  apparel_sportswear: { en: "Running shoes", zh: "跑步鞋", category: "apparel_footwear" },
} as Record<Industry, { en: string; zh: string; category: GoodsCategory }>;

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function frame(body: string, background: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
    <defs><linearGradient id="holo" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7fd3ff"/><stop offset=".35" stop-color="#d79bff"/><stop offset=".7" stop-color="#ffe27a"/><stop offset="1" stop-color="#8affc1"/></linearGradient></defs>
    <rect width="${W}" height="${H}" fill="${background}"/>${body}
    <text x="${W - 16}" y="${H - 16}" text-anchor="end" font-family="sans-serif" font-size="20" fill="#666">DEMO · drawn, not photographed</text></svg>`;
}

type Drawing = { feature: GuideFeature; captionEn: string; captionZh: string; genuine: string; fake: string; markers: Marker[] };

function drawings(brand: string, serial: string): Drawing[] {
  const b = xml(brand.toUpperCase().slice(0, 18));
  const fakeBrand = xml(brand.toUpperCase().slice(0, 18).replace(/O/, "0").replace(/I/, "l").replace(/E/, "F"));
  return [
    {
      feature: "label",
      captionEn: "Swing label: the hologram and the lettering",
      captionZh: "吊牌：防伪全息标与字体",
      genuine: frame(
        `<rect x="180" y="80" width="440" height="420" rx="18" fill="#fff" stroke="#222" stroke-width="4"/>
         <text x="400" y="190" text-anchor="middle" font-family="serif" font-size="46" font-weight="bold" fill="#111">${b}</text>
         <line x1="230" y1="215" x2="570" y2="215" stroke="#b08d2c" stroke-width="4"/>
         <circle cx="400" cy="330" r="70" fill="url(#holo)" stroke="#999" stroke-width="2"/>
         <text x="400" y="340" text-anchor="middle" font-family="sans-serif" font-size="26" fill="#333">GENUINE</text>
         <text x="400" y="460" text-anchor="middle" font-family="monospace" font-size="24" fill="#222">${xml(serial)}</text>`,
        "#e8eef3",
      ),
      fake: frame(
        `<rect x="190" y="90" width="430" height="410" rx="4" fill="#fdfbf2" stroke="#555" stroke-width="3" transform="rotate(-2 400 300)"/>
         <text x="392" y="196" text-anchor="middle" font-family="sans-serif" font-size="42" fill="#333">${fakeBrand}</text>
         <line x1="240" y1="222" x2="560" y2="226" stroke="#d2c27a" stroke-width="3"/>
         <circle cx="410" cy="335" r="64" fill="#b9b9b9" stroke="#888" stroke-width="2"/>
         <text x="410" y="345" text-anchor="middle" font-family="sans-serif" font-size="24" fill="#666">GENUlNE</text>
         <text x="400" y="462" text-anchor="middle" font-family="sans-serif" font-size="24" fill="#444">${xml(serial.replace(/-/g, ""))}</text>`,
        "#ece9e1",
      ),
      markers: [
        { side: "genuine", x: 50, y: 55, label: "Hologram shifts colour" },
        { side: "fake", x: 51, y: 56, label: "Flat grey print, no colour shift" },
        { side: "genuine", x: 50, y: 31, label: "Serif lettering, gold rule" },
        { side: "fake", x: 49, y: 32, label: "Letters swapped (0 for O)" },
        { side: "fake", x: 50, y: 77, label: "Serial without dashes" },
      ],
    },
    {
      feature: "packaging",
      captionEn: "Retail box: seal strip and print quality",
      captionZh: "零售包装盒：封条与印刷质量",
      genuine: frame(
        `<path d="M200 180 l200-70 l200 70 v280 l-200 70 l-200-70 z" fill="#1f3b63" stroke="#0c1a2e" stroke-width="5"/>
         <path d="M200 180 l200 70 l200-70 M400 250 v280" stroke="#0c1a2e" stroke-width="5" fill="none"/>
         <rect x="385" y="250" width="30" height="280" fill="url(#holo)" opacity=".9"/>
         <text x="300" y="360" text-anchor="middle" font-family="serif" font-size="30" fill="#f1d78a" transform="skewY(19) translate(0,-100)">${b}</text>`,
        "#dfe6ee",
      ),
      fake: frame(
        `<path d="M200 180 l200-70 l200 70 v280 l-200 70 l-200-70 z" fill="#2b4a78" stroke="#162a44" stroke-width="5"/>
         <path d="M200 180 l200 70 l200-70 M400 250 v280" stroke="#162a44" stroke-width="5" fill="none"/>
         <rect x="388" y="250" width="24" height="280" fill="#e9e9e9"/>
         <text x="300" y="360" text-anchor="middle" font-family="sans-serif" font-size="28" fill="#f7e9a8" transform="skewY(19) translate(0,-100)">${fakeBrand}</text>`,
        "#e6e2da",
      ),
      markers: [
        { side: "genuine", x: 50, y: 65, label: "Holographic seal strip" },
        { side: "fake", x: 50, y: 65, label: "Plain white tape" },
        { side: "fake", x: 37, y: 42, label: "Brand name misspelt" },
      ],
    },
  ];
}

async function render(svg: string): Promise<SeedImage> {
  const data = new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer());
  return { contentType: "image/jpeg", data, thumbnail: await thumbnailOf(data), width: W, height: H, sha256: crypto.createHash("sha256").update(data).digest("hex") };
}

/** The demo guides of the given right holders (most cases first), drawn and rendered. */
export async function seedGuides(holders: SeedGuideHolder[], seed: number, now: number): Promise<SeedGuide[]> {
  const random = createRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x6775_6964) >>> 0);
  const out: SeedGuide[] = [];
  for (const [i, h] of holders.entries()) {
    const product = PRODUCTS[h.industry] ?? { en: "Branded goods", zh: "品牌商品", category: "other" as GoodsCategory };
    const serial = `${h.name.replace(/[^A-Za-z]/g, "").slice(0, 2).toUpperCase().padEnd(2, "X")}${random.int(10, 99)}-${random.int(1000, 9999)}-${random.int(1000, 9999)}`;
    // the first (the demo member's company) and every third guide go to all customs, the others to Kunming and one more district
    const toAll = i === 0 || i % 3 === 0;
    const pairs: SeedPair[] = [];
    for (const d of drawings(h.name, serial)) {
      pairs.push({ feature: d.feature, captionEn: d.captionEn, captionZh: d.captionZh, markers: d.markers, genuine: await render(d.genuine), fake: await render(d.fake) });
    }
    out.push({
      holderId: h.id,
      brand: h.name,
      productLine: product.en,
      titleEn: `${h.name}: telling genuine ${product.en.toLowerCase()} from fakes`,
      titleZh: `${h.name}${product.zh}真伪鉴别指南`,
      summaryEn: `Genuine ${product.en.toLowerCase()} carry a colour-shifting hologram on the swing label and a holographic seal strip on the box. Serial codes have the form AA00-0000-0000 (two letters, two digits, two groups of four digits, with dashes).`,
      summaryZh: `正品${product.zh}吊牌上有变色防伪全息标，包装盒有全息封条。序列号格式为两位字母加两位数字，再接两组四位数字，以短横线分隔。`,
      fakesEn: "Flat grey printed 'holograms'; letters swapped for look-alike digits (0 for O, l for I); serial codes without dashes or all alike in one shipment; plain tape instead of the seal strip.",
      fakesZh: "以灰色平面印刷冒充全息标；用形近数字替换字母（如以0代O）；序列号无短横线或同批货物序列号相同；以普通胶带代替封条。",
      routesEn: "Mostly export by express and postal parcels declared as 'gifts' or 'samples', and by border trade through Yunnan towards Southeast Asia.",
      routesZh: "多以快件、邮递方式出口，申报为“礼品”或“样品”；亦经云南边境贸易运往东南亚。",
      contact: `Brand protection desk, ${h.name} (demo): brand-protection@example.com, +86 871 0000 00${String(10 + i).slice(-2)}`,
      sharing: toAll ? "all" : "districts",
      districtCodes: toAll ? [] : ["8600", random.pick(["5300", "2200", "2900", "3100"])],
      categories: [product.category],
      recordationNumbers: h.recordationNumbers.slice(0, 2),
      pairs,
      at: now - (holders.length - i) * 86_400_000,
    });
  }
  return out;
}
