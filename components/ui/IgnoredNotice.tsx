import { getTranslations } from "next-intl/server";
import type { Ignored } from "@/lib/filters";

/** Says which URL parameters a page left out, and why, instead of failing. */
export async function IgnoredNotice({ ignored }: { ignored: Ignored[] }) {
  if (!ignored.length) return null;
  const t = await getTranslations("cases.ignored");
  return (
    <div className="notice warning" role="status" data-testid="ignored-parameters">
      <p>{t("title")}</p>
      <ul>
        {ignored.map((i, n) => (
          <li key={n}>
            <code>
              {i.parameter}={i.value}
            </code>{" "}
            {t(i.reason)}
          </li>
        ))}
      </ul>
    </div>
  );
}
