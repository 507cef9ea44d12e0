import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ImportFileError, parseImportFile } from "@/lib/import/parse";
import { checkZipUnpackedSize, MAX_XLSX_UNPACKED_BYTES, ZipLimitError, zipEntries } from "@/lib/import/zip";
import { xlsxZipBomb } from "../support/zip-bomb";

// The import's zip-bomb refusal (lib/import/zip.ts): an XLSX is unpacked as a counted stream
// before the workbook reader sees it, and refused past 200 MB whatever sizes it declares.

async function realWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Cases");
  sheet.addRow(["caseNo", "pieces"]);
  for (let i = 0; i < 500; i++) sheet.addRow([`8600-2016-${String(i).padStart(4, "0")}`, i + 1]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("checkZipUnpackedSize", () => {
  it("lets a real workbook through, counting what it unpacks to", async () => {
    const bytes = await realWorkbook();
    const declared = zipEntries(bytes).reduce((sum, e) => sum + e.declaredSize, 0);
    expect(await checkZipUnpackedSize(bytes)).toBe(declared);
    const parsed = await parseImportFile(bytes, "cases.xlsx");
    expect(parsed.rows).toHaveLength(500);
  });

  it("refuses a bomb that declares its size", async () => {
    const bomb = await xlsxZipBomb(300);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expect(checkZipUnpackedSize(bomb)).rejects.toThrow(/unpacks to more than 200 MB/);
  });

  it("refuses a bomb whose directory lies about its size, while unpacking", async () => {
    const bomb = await xlsxZipBomb(260, 1);
    const error = await checkZipUnpackedSize(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipLimitError);
    expect((error as ZipLimitError).reason).toBe("too_large");
  });

  it("counts every entry together against the limit", async () => {
    await expect(checkZipUnpackedSize(await xlsxZipBomb(3), 2 * 1024 * 1024)).rejects.toThrow(/more than 2 MB/);
    expect(await checkZipUnpackedSize(await xlsxZipBomb(3), MAX_XLSX_UNPACKED_BYTES)).toBeGreaterThan(3 * 1024 * 1024);
  });

  it("says a truncated or broken archive is unreadable", async () => {
    const bytes = await realWorkbook();
    await expect(checkZipUnpackedSize(bytes.subarray(0, bytes.byteLength - 30))).rejects.toThrow(/could not be read as an Excel workbook/);
    const broken = Uint8Array.from(bytes);
    const first = zipEntries(bytes)[0]!;
    broken.fill(0x55, first.localOffset + 40, first.localOffset + 60);
    await expect(checkZipUnpackedSize(broken)).rejects.toThrow(ZipLimitError);
  });

  it("an import of a bomb fails with too_large_unpacked and a message saying why", async () => {
    const error = await parseImportFile(await xlsxZipBomb(300), "bomb.xlsx").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).code).toBe("too_large_unpacked");
    expect((error as ImportFileError).message).toMatch(/unpacks to more than 200 MB .*Split it into smaller files/);
  });
});
