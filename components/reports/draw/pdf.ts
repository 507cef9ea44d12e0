import { readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { translator, tableRows, type ReportChart, type ReportModel } from "./model";
import { chartSvg } from "./svg";
import { woffToSfnt } from "./woff";

// The dashboard report as a PDF: A4 portrait, the title, when it was made (Beijing time), the
// demo notice on demo data, the filters in words, the key figures as cards, then every chart
// as vector graphics (SVG drawn by svg-to-pdfkit) with its figures as a table, and "Page n of m"
// on every page. All text is set in Noto Sans SC, which the project installs
// (@openfonts/noto-sans-sc_all) and embeds as a subset of the glyphs used (some 10–30 KB).

const FONT_DIR = path.join(process.cwd(), "node_modules", "@openfonts", "noto-sans-sc_all", "files");
let fonts: { regular: Buffer; bold: Buffer } | null = null;

/** The CJK font, unwrapped from its WOFF once per process (about 0.4 s). */
export function reportFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: woffToSfnt(readFileSync(path.join(FONT_DIR, "noto-sans-sc-all-400.woff"))),
    bold: woffToSfnt(readFileSync(path.join(FONT_DIR, "noto-sans-sc-all-700.woff"))),
  };
  return fonts;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 42;
const FOOTER = 28;
const INK = "#1f2328";
const MUTED = "#57606a";
const RULE = "#d0d7de";
const NOTICE_BG = "#fff8c5";
const NOTICE_BORDER = "#d4a72c";

/** The PDF of a report model, as one buffer. */
export async function reportPdf(model: ReportModel, meta: { keywords?: string } = {}): Promise<Buffer> {
  const t = translator(model.locale, "reports");
  const { regular, bold } = reportFonts();
  const doc = new PDFDocument({
    size: "A4",
    layout: "portrait",
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: model.locale === "zh" ? "zh-CN" : "en-GB",
    displayTitle: true,
    info: {
      Title: model.title,
      Author: t("author"),
      Subject: t("subject"),
      Creator: t("author"),
      Producer: t("author"),
      ...(meta.keywords ? { Keywords: meta.keywords } : {}),
      CreationDate: new Date(),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.registerFont("R", regular);
  doc.registerFont("B", bold);
  const width = A4.width - 2 * MARGIN;
  const left = MARGIN;
  const bottom = () => A4.height - MARGIN - FOOTER;
  const room = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  // ---- head: title, time, demo notice, scope, filters ----
  doc.font("B").fontSize(18).fillColor(INK).text(model.title, left, MARGIN, { width });
  doc.moveDown(0.2);
  doc.font("R").fontSize(9).fillColor(MUTED).text(model.generatedAt, { width });
  doc.moveDown(0.6);
  if (model.demoNotice) {
    const h = doc.font("R").fontSize(9).heightOfString(model.demoNotice, { width: width - 16 }) + 12;
    const y = doc.y;
    doc.save().roundedRect(left, y, width, h, 3).fillAndStroke(NOTICE_BG, NOTICE_BORDER).restore();
    doc.fillColor(INK).text(model.demoNotice, left + 8, y + 6, { width: width - 16 });
    doc.x = left;
    doc.y = y + h + 8;
  }
  doc.font("B").fontSize(11).fillColor(INK).text(t("filters"), left, doc.y, { width });
  doc.moveDown(0.2);
  for (const line of model.filters) {
    const named = line.label ? `${line.label}${model.locale === "zh" ? "：" : ": "}` : "";
    doc.font("R").fontSize(9).fillColor(INK).text(`${named}${line.value}`, left, doc.y, { width });
  }
  if (model.memberNote) doc.font("R").fontSize(9).fillColor(MUTED).text(model.memberNote, left, doc.y, { width });
  doc.moveDown(0.8);

  // ---- the key figures: five cards, three and two ----
  doc.font("B").fontSize(11).fillColor(INK).text(t("keyFigures"), left, doc.y, { width });
  doc.moveDown(0.3);
  const gap = 8;
  const cardWidth = (width - 2 * gap) / 3;
  const cardHeight = model.kpis.some((k) => k.change) ? 62 : 48;
  let top = doc.y;
  model.kpis.forEach((k, i) => {
    const col = i % 3;
    if (i > 0 && col === 0) top += cardHeight + gap;
    const x = left + col * (cardWidth + gap);
    doc.save().roundedRect(x, top, cardWidth, cardHeight, 4).lineWidth(0.8).stroke(RULE).restore();
    doc.font("R").fontSize(8).fillColor(MUTED).text(k.label, x + 8, top + 7, { width: cardWidth - 16, lineBreak: false, ellipsis: true });
    doc.font("B").fontSize(k.money ? 12 : 15).fillColor(INK).text(k.shown, x + 8, top + 21, { width: cardWidth - 16, lineBreak: false });
    if (k.change) doc.font("R").fontSize(8).fillColor(MUTED).text(k.change, x + 8, top + 44, { width: cardWidth - 16, lineBreak: false });
  });
  doc.x = left;
  doc.y = top + cardHeight + 6;
  doc.font("R").fontSize(8).fillColor(MUTED).text(model.comparison, left, doc.y, { width });
  doc.moveDown(1);

  if (model.empty) doc.font("R").fontSize(10).fillColor(INK).text(model.empty, left, doc.y, { width });

  // ---- each chart: title, unit, drawing, figures ----
  for (const chart of model.charts) drawChart(doc, chart, model, width);

  // ---- page numbers ----
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const label = t("pageOf", { page: i + 1, pages: range.count });
    doc.font("R").fontSize(8).fillColor(MUTED);
    doc.text(label, left, A4.height - MARGIN - 8, { width, align: "center", lineBreak: false });
    doc.text(model.title, left, A4.height - MARGIN - 8, { width, align: "left", lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;

  function drawChart(d: PDFKit.PDFDocument, chart: ReportChart, m: ReportModel, w: number) {
    const svg = chartSvg(chart, m.locale, w);
    const { header, rows } = tableRows(chart, m.locale);
    // a chart starts on a new page unless its heading, its drawing and two rows of its table fit
    room(40 + svg.height + 3 * 15);
    d.font("B").fontSize(12).fillColor(INK).text(chart.title, left, d.y, { width: w });
    d.font("R").fontSize(8).fillColor(MUTED).text(chart.unit, left, d.y, { width: w });
    d.moveDown(0.4);
    const y = d.y;
    SVGtoPDF(d, svg.markup, left, y, {
      width: svg.width,
      height: svg.height,
      assumePt: true,
      fontCallback: (_family: string, isBold: boolean) => (isBold ? "B" : "R"),
    });
    d.x = left;
    d.y = y + svg.height + 8;
    drawTable(d, header, rows, w);
    d.moveDown(1.2);
  }

  function drawTable(d: PDFKit.PDFDocument, header: string[], rows: string[][], w: number) {
    const rowHeight = 14;
    // the item column takes what the figures leave
    const numeric = header.length === 5 ? [0, 62, 52, 78, 118] : [0, 62, 88, 128];
    numeric[0] = w - numeric.slice(1).reduce((s, v) => s + v, 0);
    const cell = (cells: string[], font: "R" | "B", colour: string) => {
      let x = left;
      d.font(font).fontSize(8).fillColor(colour);
      const y = d.y;
      cells.forEach((c, i) => {
        d.text(c, x + 2, y + 3, { width: numeric[i]! - 4, align: i === 0 ? "left" : "right", lineBreak: false, ellipsis: i === 0 });
        x += numeric[i]!;
      });
      d.x = left;
      d.y = y + rowHeight;
    };
    const head = () => {
      cell(header, "B", MUTED);
      d.save().moveTo(left, d.y).lineTo(left + w, d.y).lineWidth(0.6).stroke(RULE).restore();
    };
    head();
    for (const r of rows) {
      if (d.y + rowHeight > bottom()) {
        d.addPage();
        head();
      }
      cell(r, "R", INK);
      d.save().moveTo(left, d.y).lineTo(left + w, d.y).lineWidth(0.3).stroke(RULE).restore();
    }
  }
}
