"use client";

import { useTranslations } from "next-intl";
import { QUERY_TIMEOUT_DIGEST } from "@/lib/query-budget";

// A clear message instead of a stack trace; the details stay in the server log.
// A database fault (lib/db-errors.ts) gets its own sentence when the error says which one it
// is: in development and for errors raised in the browser. In production Next.js hides a
// server error's message (only `digest` reaches here), so the page says the general thing;
// pages only read, and reads keep working on a read-only or full disk and during a long
// write (WAL) — the writes go through the actions and the API, which name the fault.
const FAULTS: [RegExp, "busy" | "read_only" | "disk_full" | "unavailable"][] = [
  [/SQLITE_BUSY|database is locked/i, "busy"],
  [/SQLITE_READONLY|readonly database/i, "read_only"],
  [/SQLITE_FULL|database or disk is full/i, "disk_full"],
  [/SQLITE_(CANTOPEN|IOERR|CORRUPT|NOTADB)|unable to open database file|disk I\/O error/i, "unavailable"],
];

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("error");
  const tf = useTranslations("faults");
  if (error.digest === QUERY_TIMEOUT_DIGEST) {
    // a read stopped at its time budget (db/budget): the digest survives into production
    return (
      <section className="error-page" role="alert" data-fault="timeout">
        <h1>{t("timeoutTitle")}</h1>
        <p>{t("timeout")}</p>
        <button type="button" onClick={() => reset()}>
          {t("retry")}
        </button>
      </section>
    );
  }
  const fault = FAULTS.find(([pattern]) => pattern.test(`${(error as { code?: string }).code ?? ""} ${error.message ?? ""}`))?.[1];
  return (
    <section className="error-page" role="alert" data-fault={fault}>
      <h1>{fault ? tf("title") : t("title")}</h1>
      <p>{fault ? tf(fault) : t("body")}</p>
      <button type="button" onClick={() => reset()}>
        {t("retry")}
      </button>
    </section>
  );
}
