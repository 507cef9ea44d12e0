"use client";

import { useTranslations } from "next-intl";

// A clear message instead of a stack trace; the details stay in the server log.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("error");
  return (
    <section className="error-page" role="alert">
      <h1>{t("title")}</h1>
      <p>{t("body")}</p>
      <button type="button" onClick={() => reset()}>
        {t("retry")}
      </button>
    </section>
  );
}
