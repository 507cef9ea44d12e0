"use client";

import { useMemo, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { HolderChoice } from "@/db/repo/cases";
import type { Locale } from "@/lib/enums";

const MAX_SHOWN = 20;

export function holderDisplayName(h: Pick<HolderChoice, "name" | "nameZh">, locale: Locale): string {
  return locale === "zh" && h.nameZh ? `${h.nameZh}（${h.name}）` : h.name;
}

/**
 * Picks one or more right holders: a search box filters the list the server sent (names in
 * English and Chinese), a result is added with a click or Enter, and each chosen holder is a
 * removable chip. The form gets them as repeated hidden inputs `rightHolderIds[]`.
 */
export function HolderPicker({ id, holders, initial, invalid, describedBy }: {
  /** id of the search box (the field's label and error links point here) */
  id: string;
  holders: HolderChoice[];
  initial: string[];
  invalid: boolean;
  describedBy?: string;
}) {
  const t = useTranslations("forms.holders");
  const locale = useLocale() as Locale;
  const byId = useMemo(() => new Map(holders.map((h) => [h.id, h])), [holders]);
  const [chosen, setChosen] = useState<number[]>(() =>
    [...new Set(initial.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))],
  );
  const [needle, setNeedle] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const search = useRef<HTMLInputElement>(null);

  const query = needle.trim().toLowerCase();
  const matches = useMemo(() => {
    if (!query) return [];
    // names that start with the text first, then a word that does, then any other match
    const rank = (h: HolderChoice): number => {
      const names = [h.name.toLowerCase(), (h.nameZh ?? "").toLowerCase()];
      if (String(h.id) === query || names.some((n) => n.startsWith(query))) return 0;
      if (names.some((n) => n.split(/[\s\-&.,()（）]+/).some((w) => w.startsWith(query)))) return 1;
      return names.some((n) => n.includes(query)) ? 2 : -1;
    };
    return holders
      .filter((h) => !chosen.includes(h.id))
      .map((h) => ({ h, r: rank(h) }))
      .filter((x) => x.r >= 0)
      .sort((a, b) => a.r - b.r)
      .map((x) => x.h);
  }, [holders, chosen, query]);
  const shown = matches.slice(0, MAX_SHOWN);
  const label = (h: HolderChoice) => `${holderDisplayName(h, locale)} (${h.country})`;

  const add = (h: HolderChoice) => {
    setChosen((old) => (old.includes(h.id) ? old : [...old, h.id]));
    setNeedle("");
    setAnnouncement(t("added", { name: holderDisplayName(h, locale) }));
    search.current?.focus();
  };
  const remove = (holderId: number) => {
    setChosen((old) => old.filter((x) => x !== holderId));
    const h = byId.get(holderId);
    setAnnouncement(t("removed", { name: h ? holderDisplayName(h, locale) : `#${holderId}` }));
    search.current?.focus();
  };

  const hintId = `${id}-search-hint`;
  const statusId = `${id}-status`;
  return (
    <div className="holder-picker">
      {chosen.map((holderId) => (
        <input key={holderId} type="hidden" name="rightHolderIds[]" value={holderId} />
      ))}
      <p className="field-label-line">
        <span className="chosen-title" id={`${id}-chosen`}>{t("chosen")}</span>
      </p>
      {chosen.length === 0 ? (
        <p className="muted holder-none">{t("none")}</p>
      ) : (
        <ul className="holder-chips" aria-labelledby={`${id}-chosen`} data-testid="chosen-holders">
          {chosen.map((holderId) => {
            const h = byId.get(holderId);
            const name = h ? holderDisplayName(h, locale) : `#${holderId}`;
            return (
              <li key={holderId} className="holder-chip" data-holder-id={holderId}>
                <span>{name}</span>
                <button type="button" onClick={() => remove(holderId)} aria-label={t("remove", { name })} title={t("remove", { name })}>
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <label htmlFor={id} className="holder-search-label">
        {t("search")}
      </label>
      <input
        id={id}
        type="search"
        className="holder-search"
        autoComplete="off"
        value={needle}
        onChange={(e) => setNeedle(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          // Enter picks the first match instead of submitting the form
          e.preventDefault();
          if (shown[0]) add(shown[0]);
        }}
        aria-invalid={invalid || undefined}
        aria-describedby={[hintId, statusId, describedBy].filter(Boolean).join(" ")}
        aria-controls={`${id}-results`}
      />
      <p id={hintId} className="field-hint">
        {t("searchHint")}
      </p>
      <p id={statusId} className="field-hint" aria-live="polite">
        {query ? t("matches", { count: matches.length }) : ""}
        {matches.length > MAX_SHOWN ? ` ${t("more", { shown: MAX_SHOWN, count: matches.length })}` : ""}
      </p>
      <ul id={`${id}-results`} className="holder-results" aria-label={t("results")} hidden={shown.length === 0}>
        {shown.map((h) => (
          <li key={h.id}>
            <button type="button" onClick={() => add(h)} aria-label={t("add", { name: label(h) })}>
              {label(h)}
            </button>
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
