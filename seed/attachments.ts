import crypto from "node:crypto";
import sharp from "sharp";
import type { AttachmentKind } from "../lib/enums";
import { thumbnailOf } from "../lib/images";
import { createRandom } from "../lib/prng";
import { KUNMING } from "./reference";

// The demo's files (issue 17, item 4): twelve pictures drawn here as SVG and rendered by sharp
// (drawn, not photographed: nothing real is shown), and one generated detention notice as a
// small PDF, reused across Kunming's cases of 2016-01-01 … 2017-06-07 (the published period),
// four or five files a case; captions in Chinese, as Kunming's officers write them. Cases are not touched, so every published figure stays as it was.
// The pictures are drawn once per process (about half a second) and kept.

export const ATTACHMENT_PERIOD = { from: "2016-01-01", to: "2017-06-07" } as const;

export type SeedAttachment = {
  caseId: number;
  holderId: number | null;
  shared: boolean;
  kind: AttachmentKind;
  caption: string | null;
  fileName: string;
  contentType: string;
  data: Uint8Array;
  thumbnail: Uint8Array | null;
  width: number | null;
  height: number | null;
  sha256: string;
  createdAt: number;
};

type Drawing = { name: string; kind: AttachmentKind; caption: string; body: string; background: string };

const W = 960;
const H = 720;

const DRAWINGS: Drawing[] = [
  { name: "sneakers", kind: "goods_photo", caption: "纸箱中查获的带标识运动鞋", background: "#dfe7ee",
    body: `<path d="M180 470 q40-150 170-160 l90 60 q120 10 250 60 q90 35 100 90 l0 40 h-610 z" fill="#f5f5f5" stroke="#333" stroke-width="6"/>
      <path d="M200 560 h590 v30 h-590 z" fill="#333"/><path d="M380 420 q90 40 200 30" stroke="#c0392b" stroke-width="18" fill="none"/>` },
  { name: "handbag", kind: "goods_photo", caption: "带字母花纹的手提包", background: "#efe6da",
    body: `<path d="M370 300 q110-160 220 0" stroke="#5b3a1e" stroke-width="18" fill="none"/><rect x="260" y="300" width="440" height="300" rx="30" fill="#8a5a2b" stroke="#3d2611" stroke-width="6"/>
      ${Array.from({ length: 12 }, (_, i) => `<circle cx="${300 + (i % 6) * 72}" cy="${360 + Math.floor(i / 6) * 120}" r="18" fill="#d9b26f"/>`).join("")}` },
  { name: "watch", kind: "goods_photo", caption: "手表表盘及表冠", background: "#e4e4ea",
    body: `<rect x="430" y="120" width="100" height="480" rx="20" fill="#444"/><circle cx="480" cy="360" r="150" fill="#c9a646" stroke="#555" stroke-width="10"/>
      <circle cx="480" cy="360" r="125" fill="#fdfdf8"/><path d="M480 360 v-90 M480 360 h70" stroke="#222" stroke-width="10" stroke-linecap="round"/>` },
  { name: "phone", kind: "goods_photo", caption: "背面带厂商标识的手机", background: "#dde8e0",
    body: `<rect x="360" y="110" width="240" height="500" rx="36" fill="#222"/><rect x="380" y="150" width="200" height="400" rx="10" fill="#3b7dd8"/>
      <circle cx="480" cy="580" r="14" fill="#666"/><circle cx="480" cy="330" r="40" fill="#ffffff" opacity=".8"/>` },
  { name: "perfume", kind: "goods_photo", caption: "香水瓶，每瓶一百毫升", background: "#f3e5ec",
    body: `<rect x="300" y="320" width="160" height="240" rx="16" fill="#f1c7d8" stroke="#8a3b5e" stroke-width="6"/><rect x="350" y="270" width="60" height="50" fill="#c79b2c"/>
      <rect x="520" y="300" width="160" height="260" rx="16" fill="#d6b5f0" stroke="#5e3b8a" stroke-width="6"/><rect x="570" y="250" width="60" height="50" fill="#c79b2c"/>` },
  { name: "sunglasses", kind: "goods_photo", caption: "镜腿带标识的太阳镜", background: "#e8efe2",
    body: `<ellipse cx="360" cy="360" rx="130" ry="95" fill="#222"/><ellipse cx="600" cy="360" rx="130" ry="95" fill="#222"/>
      <path d="M490 350 q-10-25 -20 0" stroke="#222" stroke-width="14" fill="none"/><path d="M230 340 l-120 -40 M730 340 l120 -40" stroke="#222" stroke-width="14"/>` },
  { name: "carton", kind: "packaging", caption: "外包装箱及唛头", background: "#e9e1cf",
    body: `<path d="M220 260 l260-90 l260 90 v300 l-260 90 l-260-90 z" fill="#c89b5a" stroke="#6b4a20" stroke-width="6"/>
      <path d="M220 260 l260 90 l260-90 M480 350 v300" stroke="#6b4a20" stroke-width="6" fill="none"/><rect x="270" y="380" width="160" height="90" fill="#fff" transform="skewY(19) translate(0,-120)"/>` },
  { name: "blister", kind: "packaging", caption: "吸塑包装的耳机", background: "#e2e9f1",
    body: `${Array.from({ length: 6 }, (_, i) => `<rect x="${170 + (i % 3) * 220}" y="${170 + Math.floor(i / 3) * 220}" width="180" height="180" rx="14" fill="#ffffff" stroke="#7a8aa0" stroke-width="5"/>
      <circle cx="${260 + (i % 3) * 220}" cy="${260 + Math.floor(i / 3) * 220}" r="45" fill="#eeeeee" stroke="#333" stroke-width="6"/>`).join("")}` },
  { name: "chips", kind: "goods_photo", caption: "托盘中被重新打标的集成电路", background: "#dfe6dc",
    body: `<rect x="150" y="160" width="660" height="400" fill="#2f3b2f"/>${Array.from({ length: 15 }, (_, i) => `<rect x="${190 + (i % 5) * 125}" y="${200 + Math.floor(i / 5) * 120}" width="90" height="80" fill="#111" stroke="#888" stroke-width="3"/>`).join("")}` },
  { name: "belt", kind: "goods_photo", caption: "带扣标识的皮带", background: "#ece4da",
    body: `<rect x="120" y="320" width="720" height="80" rx="10" fill="#4a2c17"/><rect x="380" y="290" width="200" height="140" rx="24" fill="none" stroke="#c9a646" stroke-width="22"/>` },
  { name: "tshirt", kind: "goods_photo", caption: "印有标识的短袖衫", background: "#e6ecf2",
    body: `<path d="M320 160 l-160 90 l60 110 l70-30 v270 h380 v-270 l70 30 l60-110 l-160-90 q-160 80 -320 0 z" fill="#fafafa" stroke="#333" stroke-width="6"/>
      <circle cx="480" cy="360" r="70" fill="#c0392b"/><path d="M440 360 l30 30 l50-60" stroke="#fff" stroke-width="14" fill="none"/>` },
  { name: "pallet", kind: "packaging", caption: "查验区托盘上的整批货物", background: "#e5e5e5",
    body: `<rect x="160" y="560" width="640" height="40" fill="#a0784a"/>${Array.from({ length: 9 }, (_, i) => `<rect x="${180 + (i % 3) * 200}" y="${380 - Math.floor(i / 3) * 150}" width="190" height="145" fill="#c89b5a" stroke="#6b4a20" stroke-width="5"/>`).join("")}` },
];

function svgOf(d: Drawing): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
    <rect width="${W}" height="${H}" fill="${d.background}"/>${d.body}
    <text x="${W - 24}" y="${H - 24}" text-anchor="end" font-family="sans-serif" font-size="28" fill="#555">DEMO · drawn, not photographed</text></svg>`;
}

/** A one-page PDF (PDF 1.4, Helvetica): the demo's detention notice. Text only, no script. */
export function detentionNoticePdf(lines: string[]): Uint8Array {
  const escape = (s: string) => s.replace(/[\\()]/g, "\\$&").replace(/[^\x20-\x7e]/g, "?");
  const content = ["BT", "/F1 18 Tf", "72 760 Td", ...lines.flatMap((l, i) => [i === 0 ? "" : "0 -28 Td", `(${escape(l)}) Tj`]).filter(Boolean), "ET"].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

type DrawnFile = { drawing: Drawing; data: Uint8Array; thumbnail: Uint8Array; sha256: string };
let drawn: Promise<DrawnFile[]> | undefined;

/** The twelve pictures as JPEG with their thumbnails, drawn once per process. */
export function demoPictures(): Promise<DrawnFile[]> {
  drawn ??= Promise.all(
    DRAWINGS.map(async (drawing) => {
      const data = new Uint8Array(await sharp(Buffer.from(svgOf(drawing))).jpeg({ quality: 80 }).toBuffer());
      return { drawing, data, thumbnail: await thumbnailOf(data), sha256: crypto.createHash("sha256").update(data).digest("hex") };
    }),
  );
  return drawn;
}

export type CaseForAttachments = { id: number; caseNo: string; seizedOn: string; rightHolderIds: number[]; createdAt: number };

export const getsAttachments = (c: Pick<CaseForAttachments, "caseNo" | "seizedOn">) =>
  c.caseNo.startsWith(`${KUNMING}-`) && c.seizedOn >= ATTACHMENT_PERIOD.from && c.seizedOn <= ATTACHMENT_PERIOD.to;

/**
 * The files of the chosen cases: a detention notice (shared with the right holders), two or
 * three pictures of the goods and their packaging from customs (one of them shared), and on
 * every third case a photo of the genuine product added by its first right holder.
 */
export async function seedAttachments(cases: CaseForAttachments[], seed: number): Promise<SeedAttachment[]> {
  const pictures = await demoPictures();
  const out: SeedAttachment[] = [];
  for (const c of cases) {
    const random = createRandom(((seed >>> 0) ^ Math.imul(c.id, 0x85ebca6b)) >>> 0);
    const at = c.createdAt + 3_600_000;
    const notice = detentionNoticePdf([
      "GENERAL ADMINISTRATION OF CUSTOMS (DEMO)",
      "Notice of detention of suspected infringing goods",
      `Case ${c.caseNo}, goods detained on ${c.seizedOn}`,
      "The right holder may request detention within 3 working days",
      "(Regulations on Customs Protection of IPR, Art. 16).",
      "Generated demo document - not a real notice.",
    ]);
    out.push({
      caseId: c.id, holderId: null, shared: true, kind: "detention_notice", caption: null, fileName: `detention-notice-${c.caseNo}.pdf`,
      contentType: "application/pdf", data: notice, thumbnail: null, width: null, height: null,
      sha256: crypto.createHash("sha256").update(notice).digest("hex"), createdAt: at,
    });
    const count = random.int(2, 3);
    for (let i = 0; i < count; i++) {
      const p = pictures[random.int(0, pictures.length - 1)]!;
      out.push({
        caseId: c.id, holderId: null, shared: i === 0, kind: p.drawing.kind, caption: p.drawing.caption, fileName: `${p.drawing.name}-${c.caseNo}.jpg`,
        contentType: "image/jpeg", data: p.data, thumbnail: p.thumbnail, width: W, height: H, sha256: p.sha256, createdAt: at + (i + 1) * 60_000,
      });
    }
    const holder = c.rightHolderIds[0];
    if (holder !== undefined && c.id % 3 === 0) {
      const p = pictures[random.int(0, pictures.length - 1)]!;
      out.push({
        caseId: c.id, holderId: holder, shared: false, kind: "holder_answer", caption: "正品，供比对", fileName: `genuine-${p.drawing.name}.jpg`,
        contentType: "image/jpeg", data: p.data, thumbnail: p.thumbnail, width: W, height: H, sha256: p.sha256, createdAt: at + 86_400_000,
      });
    }
  }
  return out;
}
