import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

// Reading a PDF back in tests with pdfjs-dist (a dev dependency: no apt package needed):
// every page's text, its metadata, and whether a font is embedded.

export type PdfRead = { pages: string[]; text: string; info: Record<string, unknown>; numPages: number };

/** The text of every page (items joined by spaces, lines by newlines), and the document info. */
export async function readPdf(bytes: Uint8Array | Buffer): Promise<PdfRead> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    let line = "";
    const lines: string[] = [];
    for (const item of content.items) {
      if (!("str" in item)) continue;
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = "";
      } else line += " ";
    }
    if (line) lines.push(line);
    pages.push(lines.join("\n"));
  }
  const meta = await doc.getMetadata();
  const numPages = doc.numPages;
  await doc.destroy();
  return { pages, text: pages.join("\n"), info: (meta.info ?? {}) as Record<string, unknown>, numPages };
}

/**
 * The embedded fonts of a PDF, read from its bytes: each font descriptor's /FontName and
 * whether it carries a font file (/FontFile2: TrueType, /FontFile3: CFF). pdfkit writes these
 * dictionaries uncompressed.
 */
export function embeddedFonts(bytes: Buffer): { name: string; embedded: boolean }[] {
  const text = bytes.toString("latin1");
  const out: { name: string; embedded: boolean }[] = [];
  for (const m of text.matchAll(/\/Type \/FontDescriptor([\s\S]*?)>>/g)) {
    const name = /\/FontName \/([^\s/]+)/.exec(m[1]!)?.[1] ?? "";
    out.push({ name, embedded: /\/FontFile[23]? /.test(m[1]!) });
  }
  return out;
}
