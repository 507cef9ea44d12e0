"use client";

import Link from "next/link";
import { useId, useRef, useState, type FormEvent } from "react";
import { latinLang } from "@/lib/format";
import { useTranslations } from "next-intl";
import type { ImportReport, Rejection } from "@/lib/import/report";

// The import page's form: a file and three options; "Check file" uploads it for a dry run
// (POST /api/admin/import?mode=dry-run) and shows the report; "Import" sends the same file
// again to commit. Upload progress comes from XMLHttpRequest; then the server's work shows
// as an indeterminate progress bar.

type Report = ImportReport & { mode: "dry-run" | "commit"; fileName: string; milliseconds: number };
type Options = { update: boolean; skipInvalid: boolean; createHolders: boolean };
type Phase = "idle" | "uploading" | "checking" | "committing";
type Failure = { code: string; message?: string };

const SHOWN = 500;

function send(mode: "dry-run" | "commit", file: File, options: Options, onUploaded: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.set("file", file);
    for (const [name, on] of Object.entries(options)) if (on) form.set(name, "on");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/admin/import?mode=${mode}`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onUploaded(e.loaded / e.total);
    };
    xhr.upload.onload = () => onUploaded(1);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(form);
  });
}

export function ImportForm({ maxBytes }: { maxBytes: number }) {
  const t = useTranslations("import");
  const tw = useTranslations("watchlist.warning");
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<Options>({ update: false, skipInvalid: false, createHolders: false });
  const [phase, setPhase] = useState<Phase>("idle");
  const [percent, setPercent] = useState(0);
  const [report, setReport] = useState<Report | null>(null);
  const [result, setResult] = useState<Report | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  /** the file and options the report was made for: importing asks for the same */
  const checked = useRef<{ file: File; options: Options } | null>(null);
  const maxMb = Math.round(maxBytes / 1024 / 1024);
  const busy = phase !== "idle";

  const fresh = report && checked.current && checked.current.file === file && JSON.stringify(checked.current.options) === JSON.stringify(options);

  async function run(mode: "dry-run" | "commit") {
    setFailure(null);
    if (!file) return setFailure({ code: "no_file" });
    if (file.size > maxBytes) return setFailure({ code: "too_large" });
    if (mode === "dry-run") setResult(null);
    setPercent(0);
    setPhase("uploading");
    try {
      const { status, body } = await send(mode, file, options, (fraction) => {
        setPercent(Math.round(fraction * 100));
        if (fraction >= 1) setPhase(mode === "commit" ? "committing" : "checking");
      });
      const answer = (body ?? {}) as Partial<Report> & { error?: string; message?: string };
      if (status !== 200) {
        setFailure({ code: answer.error ?? (status === 413 ? "too_large" : "failed"), message: answer.message });
        return;
      }
      const r = answer as Report;
      if (mode === "dry-run") {
        checked.current = { file, options };
        setReport(r);
      } else if (r.committed) {
        setResult(r);
        setReport(null);
        checked.current = null;
      } else setReport(r); // the data changed since the dry run: the fresh report says why
    } catch {
      setFailure({ code: "failed" });
    } finally {
      setPhase("idle");
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run("dry-run");
  };
  const reasonText = (r: Rejection) => {
    const key = `reasons.${r.reason}`;
    const params = { value: "", first: "", column: "", office: "", expected: "", detail: "other", ...r.params };
    return t.has(key) ? t(key, params) : r.message;
  };
  const failureText = (f: Failure) => {
    const key = `fileErrors.${f.code}`;
    return t.has(key) ? t(key, { max: maxMb }) : (f.message ?? t("fileErrors.failed"));
  };
  const rejectedRows = report ? new Set(report.rejected.map((r) => r.row)).size : 0;
  const writable = report ? report.creates + report.updates : 0;
  const canCommit = Boolean(fresh && report && writable > 0 && (report.rejected.length === 0 || options.skipInvalid) && !busy);
  const option = (name: keyof Options) => (
    <div className="admin-check">
      <input
        type="checkbox"
        id={`${id}-${name}`}
        name={name}
        checked={options[name]}
        disabled={busy}
        onChange={(e) => setOptions({ ...options, [name]: e.target.checked })}
      />
      <label htmlFor={`${id}-${name}`}>{t(name)}</label>
    </div>
  );

  return (
    <div className="import-form" aria-busy={busy}>
      <section className="panel" aria-labelledby={`${id}-form-title`}>
        <h2 id={`${id}-form-title`}>{t("formTitle")}</h2>
        <form className="admin-form" onSubmit={onSubmit} data-testid="import-form" encType="multipart/form-data">
          <div className="admin-field wide">
            <label htmlFor={`${id}-file`}>{t("file")}</label>
            <input
              type="file"
              id={`${id}-file`}
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={`${id}-file-hint`}
              disabled={busy}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setFailure(null);
              }}
            />
            <p id={`${id}-file-hint`} className="admin-hint">
              {t("fileHint", { max: maxMb })}
            </p>
          </div>
          <fieldset className="import-options">
            {option("update")}
            {option("skipInvalid")}
            {option("createHolders")}
          </fieldset>
          <div className="import-buttons">
            <button type="submit" className="primary" disabled={busy || !file}>
              {t("check")}
            </button>
            {report && (
              <button type="button" className="primary" data-testid="import-commit" disabled={!canCommit} onClick={() => void run("commit")}>
                {t("commit", { count: writable })}
              </button>
            )}
          </div>
        </form>
        <div className="import-status" aria-live="polite" data-testid="import-status">
          {phase === "uploading" && (
            <p className="pending">
              <progress max={100} value={percent} aria-label={t("uploading", { percent })} /> {t("uploading", { percent })}
            </p>
          )}
          {(phase === "checking" || phase === "committing") && (
            <p className="pending">
              <progress aria-label={t(phase)} /> {t(phase)}
            </p>
          )}
          {failure && (
            <p className="form-error" role="alert" data-testid="import-error">
              {failureText(failure)}
            </p>
          )}
          {report && !fresh && phase === "idle" && <p className="admin-hint">{t("changedFile")}</p>}
          {result && (
            <div className="form-ok" role="status" data-testid="import-result">
              <p>
                {t("done", { count: result.creates + result.updates, seconds: (result.milliseconds / 1000).toFixed(1) })}{" "}
                {result.rejected.length > 0 && t("doneSkipped", { count: new Set(result.rejected.map((r) => r.row)).size })}
              </p>
              <p>
                <Link href={result.caseNos?.length === 1 ? `/cases?q=${encodeURIComponent(result.caseNos[0]!)}` : "/cases"}>{t("seeCases")}</Link>
              </p>
            </div>
          )}
        </div>
      </section>

      {report && (
        <section className="panel import-report" aria-labelledby={`${id}-report-title`} data-testid="import-report">
          <h2 id={`${id}-report-title`}>{t("reportTitle")}</h2>
          <p className="admin-hint">{t("fileName", { name: report.fileName })}</p>
          <ul className="import-counts">
            <li data-testid="count-total">{t("total", { count: report.total })}</li>
            <li data-testid="count-creates">{t("creates", { count: report.creates })}</li>
            <li data-testid="count-updates">{t("updates", { count: report.updates })}</li>
            <li data-testid="count-rejected" className={rejectedRows ? "import-bad" : undefined}>
              {t("rejectedRows", { count: rejectedRows })}
            </li>
          </ul>
          {report.holdersToCreate.length > 0 && <p>{t("holdersToCreate", { names: report.holdersToCreate.join("; ") })}</p>}
          {(report.warnings?.length ?? 0) > 0 && (
            <div className="import-warnings" data-testid="import-warnings">
              <p>
                {t("warnings", { count: report.warnings!.length })} <Link href="/cases?recordation=none">{t("warningsLink")}</Link>
              </p>
              <ul>
                {report.warnings!.slice(0, SHOWN).map((w) => (
                  <li key={`${w.row}-${w.reason}`}>{t("warningRow", { row: w.row, caseNo: w.caseNo })}: {t(`warningReasons.${w.reason}`)}</li>
                ))}
              </ul>
            </div>
          )}
          {(report.watchList?.length ?? 0) > 0 && (
            <div className="import-warnings watch-warning" data-testid="import-watch-list">
              <p>
                {tw("import", { count: report.watchList!.length })} <Link href="/risk/watch-list">{tw("see")}</Link>
              </p>
              <ul>
                {report.watchList!.slice(0, SHOWN).map((w) => (
                  <li key={w.row}>
                    {tw("importRow", { row: w.row, caseNo: w.caseNo })}{" "}
                    {w.names.map((n, i) => <span key={n} lang={latinLang(n)}>{i ? "; " : ""}{n}</span>)}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {report.rejected.length === 0 ? (
            <p className="form-ok">{t("clean")}</p>
          ) : (
            <>
              <p className={options.skipInvalid ? "admin-hint" : "form-error"}>{options.skipInvalid ? t("willSkip") : t("blocked")}</p>
              <div className="table-scroll">
                <table className="data-table" data-testid="import-rejections">
                  <caption>{t("problemsCaption", { count: report.rejected.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("row")}</th>
                      <th scope="col">{t("column")}</th>
                      <th scope="col">{t("reason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.rejected.slice(0, SHOWN).map((r, i) => (
                      <tr key={i} data-row={r.row} data-reason={r.reason}>
                        <td className="num">{r.row}</td>
                        <td>{r.column}</td>
                        <td>{reasonText(r)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {report.rejected.length > SHOWN && <p className="admin-hint">{t("more", { shown: SHOWN, count: report.rejected.length })}</p>}
            </>
          )}
        </section>
      )}
    </div>
  );
}
