import ExcelJS from "exceljs";
import { NextResponse, type NextRequest } from "next/server";
import { templateReferences } from "@/db/repo/admin";
import { requireApiUser } from "@/app/session";
import { UTF8_BOM, csvLine } from "@/lib/csv";
import { exportCells, exportHeader, type ExportRow } from "@/lib/export-columns";
import { isLocale, type Locale } from "@/lib/enums";
import { todayInShanghai } from "@/lib/case-schema";
import { CASES_SHEET_NAMES } from "@/lib/import/parse";
import { guarded } from "../../../respond";

export const dynamic = "force-dynamic";

/** One example case from this database's reference data, as the export would write it. */
async function exampleRow(): Promise<ExportRow> {
  const { office, holder } = await templateReferences();
  const year = todayInShanghai().slice(0, 4);
  return {
    caseNo: `${office?.code ?? "0200"}-${year}-9999`,
    seizedOn: `${year}-01-15`,
    districtCode: office?.districtCode ?? "0200",
    districtNameEn: office?.districtNameEn ?? "",
    districtNameZh: office?.districtNameZh ?? "",
    officeCode: office?.code ?? "0200",
    officeNameEn: office?.nameEn ?? "",
    officeNameZh: office?.nameZh ?? "",
    infringementType: "trademark",
    goodsCategory: "apparel_footwear",
    goodsDescription: "Counterfeit sports shoes",
    pieces: 120,
    valueFen: 1_234_550,
    direction: "export",
    channel: "express",
    transport: "air",
    protectionMode: "ex_officio",
    originCountry: "CN",
    destinationCountry: "US",
    campaignCode: null,
    campaignNameEn: null,
    campaignNameZh: null,
    status: "detained",
    disposal: null,
    hearingHeld: false,
    referredToPolice: false,
    penaltyFen: null,
    rightHolders: holder ?? null,
    notes: null,
  };
}

/** GET /api/admin/import/template?format=csv|xlsx&locale=en|zh → the import's columns and one example row. */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const user = await requireApiUser(request, "write");
    if (user instanceof Response) return user;
    const params = request.nextUrl.searchParams;
    const format = params.get("format") ?? "csv";
    const localeParam = params.get("locale") ?? "en";
    if ((format !== "csv" && format !== "xlsx") || !isLocale(localeParam)) {
      return NextResponse.json(
        { error: "invalid_parameter", message: "format must be csv or xlsx, and locale en or zh." },
        { status: 400 },
      );
    }
    const locale: Locale = localeParam;
    const row = await exampleRow();
    const headers = new Headers({
      "Content-Disposition": `attachment; filename="import-template-${locale}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (format === "csv") {
      headers.set("Content-Type", "text/csv; charset=utf-8");
      return new Response(UTF8_BOM + csvLine(exportHeader(locale)) + csvLine(exportCells(row, locale)), { headers });
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(CASES_SHEET_NAMES[locale === "zh" ? 1 : 0]!, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = exportHeader(locale).map((header) => ({ header, width: Math.max(12, header.length + 4) }));
    sheet.getRow(1).font = { bold: true };
    sheet.addRow(exportCells(row, locale));
    headers.set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    return new Response(new Uint8Array(await workbook.xlsx.writeBuffer()), { headers });
  });
}
