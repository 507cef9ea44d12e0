"use client";

import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";

type Format = "pdf" | "xlsx";

/** The file name the server gave (Content-Disposition), or a plain one. */
function fileNameOf(response: Response, format: Format): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  return match?.[1] ?? `report.${format}`;
}

/**
 * "Download report" of the dashboard's view: a PDF or a workbook of the figures, in the UI's
 * language, for the filters in the URL (`query`: the dashboard's filters, serialised). The
 * buttons are disabled and the status says so while the server draws the report; a failure
 * (a 503 past the read budget, say) is said in words.
 */
export function ReportDownload({ query }: { query: string }) {
  const t = useTranslations("reports");
  const locale = useLocale();
  const [busy, setBusy] = useState<Format | null>(null);
  const [status, setStatus] = useState<{ kind: "done" | "failed"; text: string } | null>(null);

  async function download(format: Format) {
    setBusy(format);
    setStatus(null);
    try {
      const params = new URLSearchParams(query);
      params.set("format", format);
      params.set("lang", locale);
      const response = await fetch(`/api/report?${params}`, { credentials: "same-origin" });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        throw new Error(body?.message ?? `HTTP ${response.status}`);
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = fileNameOf(response, format);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus({ kind: "done", text: t("done") });
    } catch (error) {
      setStatus({ kind: "failed", text: t("failed", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="report-download" role="group" aria-label={t("download")} data-testid="report-download">
      <span className="report-download-label">{t("download")}</span>
      <button type="button" onClick={() => download("pdf")} disabled={busy !== null} aria-label={t("pdfLabel")} data-testid="report-pdf">
        {t("pdf")}
      </button>
      <button type="button" onClick={() => download("xlsx")} disabled={busy !== null} aria-label={t("xlsxLabel")} data-testid="report-xlsx">
        {t("xlsx")}
      </button>
      <span className={status?.kind === "failed" ? "report-status field-error" : "report-status muted"} role="status" aria-live="polite" data-testid="report-status">
        {busy ? t("generating") : (status?.text ?? "")}
      </span>
    </div>
  );
}
