import { describe, expect, it } from "vitest";
import { contentDisposition, safeFileName, sniffFileType, sniffImageType } from "../../lib/file-types";
import { formatBytes } from "../../lib/attachments";

// A file's type by its first bytes (issue 17): only JPEG, PNG, WebP and PDF; whatever the name
// says. A stored file's name: no path, no control or quote characters, the real type's extension.

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])));

describe("sniffFileType", () => {
  it("knows the four kept types by their magic bytes", () => {
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffFileType(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe("image/png");
    expect(sniffFileType(bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 "))).toBe("image/webp");
    expect(sniffFileType(bytes("%PDF-1.7\n"))).toBe("application/pdf");
  });

  it("refuses everything else, whatever it is called: HTML, SVG, GIF, ZIP, an executable, a short or empty file", () => {
    for (const hostile of [
      "<!doctype html><script>alert(1)</script>", '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "<svg onload=alert(1)>",
      "GIF89a", "PK\u0003\u0004", "MZ\u0090\u0000", " %PDF-1.4", "RIFF\0\0\0\0WAVE", "",
    ]) {
      expect(sniffFileType(bytes(hostile)), JSON.stringify(hostile)).toBeNull();
    }
    expect(sniffFileType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffFileType(bytes(0x89, "PNG"))).toBeNull();
    expect(sniffImageType(bytes("%PDF-1.4"))).toBeNull();
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe("image/jpeg");
  });
});

describe("safeFileName", () => {
  it("drops any path, control and quote characters, and ends in the content's extension", () => {
    expect(safeFileName("../../etc/passwd", "application/pdf")).toBe("passwd.pdf");
    expect(safeFileName("C:\\fakepath\\IMG_0001.JPG", "image/jpeg")).toBe("IMG_0001.jpg");
    expect(safeFileName("photo.jpeg", "image/jpeg")).toBe("photo.jpg");
    expect(safeFileName("invoice.html", "image/png")).toBe("invoice.html.png");
    expect(safeFileName('a"b\r\nc;d<e>.png', "image/png")).toBe("abcde.png");
    expect(safeFileName(".htaccess", "image/webp")).toBe("htaccess.webp");
    expect(safeFileName("", "image/png")).toBe("file.png");
    expect(safeFileName("   ", "application/pdf")).toBe("file.pdf");
    expect(safeFileName("x\u202egpj.exe", "image/jpeg")).toBe("xgpj.exe.jpg");
    expect(safeFileName("货物照片 1.jpg", "image/jpeg")).toBe("货物照片 1.jpg");
    expect([...safeFileName("a".repeat(500) + ".png", "image/png")].length).toBe(114);
  });

  it("goes into Content-Disposition as ASCII with a UTF-8 form beside it", () => {
    expect(contentDisposition("attachment", "notice.pdf")).toBe(`attachment; filename="notice.pdf"; filename*=UTF-8''notice.pdf`);
    expect(contentDisposition("inline", "货物 (1).jpg")).toBe(`inline; filename="__ (1).jpg"; filename*=UTF-8''%E8%B4%A7%E7%89%A9%20%281%29.jpg`);
  });
});

describe("formatBytes", () => {
  it("says sizes in English with units and in Chinese in words", () => {
    expect(formatBytes(2_500_000, "en")).toBe("2.4 MB");
    expect(formatBytes(300, "en")).toBe("1 KB");
    expect(formatBytes(20_480, "zh")).toBe("20 千字节");
    expect(formatBytes(2_500_000, "zh")).toMatch(/^2\.4 兆字节$/);
  });
});
