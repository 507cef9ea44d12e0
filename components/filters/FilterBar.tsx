"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { FilterChip } from "@/lib/filter-labels";
import { FILTER_NAMES } from "@/lib/filters";
import { QUICK_PICKS, quickPickRange, type QuickPick } from "@/lib/period";
import { useExplorerNavigation } from "./ExplorerNavigation";
import { DateInput } from "@/components/ui/DateInput";

const SEARCH_DELAY_MS = 350;

export function FilterBar({ q, from, to, chips, children }: {
  q: string;
  from: string;
  to: string;
  chips: FilterChip[];
  /** the facet selects, streamed in when their counts are ready */
  children: React.ReactNode;
}) {
  const t = useTranslations("cases");
  const { navigate } = useExplorerNavigation();
  const [text, setText] = useState(q);
  const lastSent = useRef(q);

  // follow the URL (back button, a cleared filter) when it changes under us
  useEffect(() => {
    setText(q);
    lastSent.current = q;
  }, [q]);

  // debounced text search
  useEffect(() => {
    if (text.trim() === lastSent.current.trim()) return;
    const timer = setTimeout(() => {
      lastSent.current = text;
      navigate((params) => (text.trim() ? params.set("q", text.trim()) : params.delete("q")));
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, navigate]);

  const setDate = (name: "from" | "to", value: string) =>
    navigate((params) => (value ? params.set(name, value) : params.delete(name)));

  const pickRange = (pick: QuickPick) => {
    const range = quickPickRange(pick);
    navigate((params) => {
      for (const name of ["from", "to"] as const) {
        const value = range[name];
        if (value) params.set(name, value);
        else params.delete(name);
      }
    });
  };
  const isPicked = (pick: QuickPick) => {
    const range = quickPickRange(pick);
    return (range.from ?? "") === from && (range.to ?? "") === to;
  };

  // a removed chip takes its button away: the focus goes to the chip now in its place (or the
  // last one, or the search field), not back to the top of the page
  const chipsBox = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const refocus = useRef<number | null>(null);
  useEffect(() => {
    const index = refocus.current;
    if (index === null) return;
    refocus.current = null;
    const buttons = chipsBox.current?.querySelectorAll<HTMLButtonElement>("button.chip");
    const next = buttons?.length ? buttons[Math.min(index, buttons.length - 1)] : search.current;
    next?.focus();
  }, [chips]);

  const removeChip = (chip: FilterChip, index: number) => {
    refocus.current = index;
    navigate((params) => {
      const rest = params.getAll(chip.name).filter((v) => v !== chip.value);
      params.delete(chip.name);
      for (const v of rest) params.append(chip.name, v);
    });
  };

  const clearAll = () => navigate((params) => FILTER_NAMES.forEach((name) => params.delete(name)));

  return (
    <section className="filter-bar" aria-label={t("facets.label")}>
      <div className="filter-row">
        <label className="search-field">
          <span className="visually-hidden">{t("search.label")}</span>
          <input
            ref={search}
            type="search"
            name="q"
            value={text}
            placeholder={t("search.placeholder")}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                lastSent.current = text;
                navigate((params) => (text.trim() ? params.set("q", text.trim()) : params.delete("q")));
              }
            }}
          />
        </label>
        <label className="date-field">
          <span>{t("dates.from")}</span>
          <DateInput name="from" value={from} onCommit={(v) => setDate("from", v)} />
        </label>
        <label className="date-field">
          <span>{t("dates.to")}</span>
          <DateInput name="to" value={to} onCommit={(v) => setDate("to", v)} />
        </label>
        <div className="segmented quick-picks" role="group" aria-label={t("dates.quick")}>
          {QUICK_PICKS.map((pick) => (
            <button key={pick} type="button" aria-pressed={isPicked(pick)} onClick={() => pickRange(pick)}>
              {t(`dates.${pick}`)}
            </button>
          ))}
        </div>
      </div>
      {children}
      {chips.length > 0 && (
        <div className="chips" aria-label={t("chips.label")} role="group" ref={chipsBox}>
          {chips.map((chip, index) => (
            <button
              key={`${chip.name}=${chip.value}`}
              type="button"
              className="chip"
              aria-label={t("chips.remove", { label: chip.label })}
              onClick={() => removeChip(chip, index)}
            >
              {chip.label} <span aria-hidden="true">×</span>
            </button>
          ))}
          <button type="button" className="link-button" onClick={clearAll}>
            {t("chips.clear")}
          </button>
        </div>
      )}
    </section>
  );
}
