"use client";

import Link from "next/link";
import { useRef, useState, type FocusEvent } from "react";
import { useLocale, useTranslations } from "next-intl";
import { checkWatchListAction } from "@/app/actions/watchlist";
import type { WatchHit } from "@/db/repo/watchlist";
import { partyRoles, type Locale } from "@/lib/enums";
import { formatDate, latinLang } from "@/lib/format";

// The watch-list warning at case entry (issue 18, item 2): when a party's name or code loses
// focus, the form asks the server (a staff-only read through the one action wrapper) whether
// any of the case's parties is listed, and says so at once; saving is not refused.

export function useWatchListCheck() {
  const [hits, setHits] = useState<WatchHit[]>([]);
  const asked = useRef("");
  const seq = useRef(0);
  const onBlur = async (ev: FocusEvent<HTMLElement>) => {
    const target = ev.target as HTMLInputElement;
    if (!/^(consignor|consignee|declarant)(Name|Code|Kind)$/.test(target.name ?? "")) return;
    const form = target.form;
    if (!form) return;
    const value = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "").trim();
    const parties = partyRoles.values.map((role) => ({ kind: value(`${role}Kind`) || null, name: value(`${role}Name`) || null, code: value(`${role}Code`) || null }));
    const key = JSON.stringify(parties);
    if (key === asked.current) return;
    asked.current = key;
    if (!parties.some((p) => p.name || p.code)) return setHits([]);
    const mine = ++seq.current;
    const result = await checkWatchListAction({ parties });
    if (mine !== seq.current) return; // a later check answers instead
    setHits(result.ok ? dedupe(result.data.hits) : []);
  };
  return { onBlur, hits };
}

const dedupe = (hits: WatchHit[]) => hits.filter((h, i) => hits.findIndex((x) => x.partyId === h.partyId) === i);

/** The warning: each listed party with its cases since the first in the window. */
export function WatchListWarning({ hits }: { hits: { name: string; cases: number; since: string }[] }) {
  const t = useTranslations("watchlist.warning");
  const locale = useLocale() as Locale;
  return (
    <div role="status" aria-live="polite" className="watch-warning-live" data-testid="watch-warning-live">
      {hits.length > 0 && (
        <div className="watch-warning" data-testid="watch-warning">
          <p><strong>{t("title")}</strong></p>
          {hits.map((h) => (
            <p key={h.name + h.since}>
              {t.rich("hit", { n: (chunks) => <span lang={latinLang(h.name)}>{chunks}</span>, name: h.name, cases: h.cases, since: formatDate(h.since, locale) })}
            </p>
          ))}
          <p><Link href="/risk/watch-list">{t("see")}</Link></p>
        </div>
      )}
    </div>
  );
}
