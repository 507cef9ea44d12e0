"use client";

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { countryName, searchCountries } from "@/lib/countries";
import { ports, type Locale } from "@/lib/enums";
import { isHsHeading } from "@/lib/route-codes";
import { useExplorerNavigation } from "./ExplorerNavigation";

/**
 * The route and party filters of the bar (issue 18): the port of entry or exit, the origin
 * country, the HS heading and a party, in the panel of one disclosure beside the facets (its
 * button, drawn by Facets.tsx, says how many are set), so the bar keeps its width. Loaded when
 * the group first opens (RouteFilters in FacetSelect.tsx). None of its lists comes from the database (the ports
 * are an enumeration, the countries the ISO list) and none shows counts: nothing in it can tell a
 * member about another company's cases. Like a facet, the group closes on Escape (the focus back
 * on its button), on a click outside and when the focus leaves it; a change is rendered around
 * it, so the focus stays on the control used.
 */

const PARTY_DELAY_MS = 350;
const MAX_COUNTRIES_SHOWN = 12;

export type RouteFilterValues = { port: string[]; origin: string[]; hs: string[]; party: string };

export default function RoutePanel({ values }: { values: RouteFilterValues }) {
  const t = useTranslations("routeFilters");
  const locale = useLocale() as Locale;
  const { navigate } = useExplorerNavigation();
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  // the panel is wide: where it would run off the right edge it moves left, as far as the page's left edge
  const [shift, setShift] = useState(0);
  useLayoutEffect(() => {
    if (!panel.current) return;
    const { left, right } = panel.current.getBoundingClientRect();
    const room = document.documentElement.clientWidth - 8;
    if (right > room) setShift(-Math.min(right - room, Math.max(0, left - 8)));
  }, []);
  // closing: a press outside the group, the focus leaving it, Escape on its button
  useEffect(() => {
    const details = panel.current?.closest("details");
    if (!details) return;
    const outside = (e: PointerEvent) => {
      if (!details.contains(e.target as Node)) details.open = false;
    };
    const leave = (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (next && !details.contains(next)) details.open = false;
    };
    const summary = details.querySelector("summary");
    const escape = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        details.open = false;
      }
    };
    document.addEventListener("pointerdown", outside, true);
    details.addEventListener("focusout", leave);
    summary?.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("pointerdown", outside, true);
      details.removeEventListener("focusout", leave);
      summary?.removeEventListener("keydown", escape);
    };
  }, []);
  /** Escape inside the panel (a list of countries open closes first): the group closes, the focus back on its button. */
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== "Escape") return;
    const details = panel.current?.closest("details");
    if (!details) return;
    e.preventDefault();
    e.stopPropagation();
    details.open = false;
    details.querySelector("summary")?.focus();
  };

  /** Replaces the values of a list parameter (the page starts again at 1). */
  const setList = (name: "port" | "origin" | "hs", next: string[]) =>
    navigate((params) => {
      params.delete(name);
      for (const v of next) params.append(name, v);
    });

  // the boxes tick at once; the server's answer then confirms them
  const [portsOn, setPortsOn] = useState(values.port);
  useEffect(() => setPortsOn(values.port), [values.port]);
  const togglePort = (value: string, on: boolean) => {
    const next = on ? [...portsOn.filter((v) => v !== value), value] : portsOn.filter((v) => v !== value);
    setPortsOn(next);
    setList("port", next);
  };

  return (
    <div ref={panel} className="facet-panel route-panel" style={shift ? { left: shift } : undefined} role="group" aria-label={t("label")} onKeyDown={onKeyDown}>
      <div className="route-sections">
        <fieldset className="route-section route-ports">
          <legend>{t("port")}</legend>
          <ul>
            {ports.values.map((value) => {
              const inputId = `${id}-port-${value}`;
              const on = portsOn.includes(value);
              return (
                <li key={value}>
                  <input
                    id={inputId}
                    type="checkbox"
                    name="port"
                    value={value}
                    checked={on}
                    onChange={(e) => togglePort(value, e.target.checked)}
                    onKeyDown={(e) => {
                      // Enter ticks as Space does (as in the facets)
                      if (e.key === "Enter") {
                        e.preventDefault();
                        togglePort(value, !on);
                      }
                    }}
                  />
                  <label htmlFor={inputId}>{ports.labels[value][locale]}</label>
                </li>
              );
            })}
          </ul>
        </fieldset>

        <div className="route-section">
          <OriginPicker id={`${id}-origin`} chosen={values.origin} onChange={(next) => setList("origin", next)} />
          <Chosen
            label={t("origin")}
            values={values.origin}
            name={(code) => countryName(code, locale)}
            onRemove={(code) => setList("origin", values.origin.filter((v) => v !== code))}
          />
        </div>

        <div className="route-section">
          <HsInput id={`${id}-hs`} chosen={values.hs} onAdd={(heading) => setList("hs", [...values.hs.filter((v) => v !== heading), heading])} />
          <Chosen label={t("hs")} values={values.hs} name={(h) => h} onRemove={(h) => setList("hs", values.hs.filter((v) => v !== h))} />
        </div>

        <div className="route-section">
          <PartyInput id={`${id}-party`} value={values.party} />
        </div>
      </div>
    </div>
  );
}

/** The values of a list already chosen, each a button that takes it away. */
function Chosen({ label, values, name, onRemove }: { label: string; values: string[]; name: (v: string) => string; onRemove: (v: string) => void }) {
  const t = useTranslations("routeFilters");
  if (!values.length) return null;
  return (
    <ul className="route-chosen" aria-label={t("chosen", { label })}>
      {values.map((v) => (
        <li key={v}>
          <button type="button" className="chip" aria-label={t("remove", { label: `${label}: ${name(v)}` })} onClick={() => onRemove(v)}>
            {name(v)} <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * An origin country added by name in either language or by its code: a combobox over the ISO
 * list (lib/countries.ts). Arrow keys move through the matches, Enter adds one, Escape closes
 * the list; the field is emptied for the next country and keeps the focus.
 */
function OriginPicker({ id, chosen, onChange }: { id: string; chosen: string[]; onChange: (next: string[]) => void }) {
  const t = useTranslations("routeFilters");
  const locale = useLocale() as Locale;
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const matches = useMemo(
    () => (open && text.trim() ? searchCountries(text, locale).filter((o) => !chosen.includes(o.code)) : []),
    [open, text, locale, chosen],
  );
  const shown = matches.slice(0, MAX_COUNTRIES_SHOWN);
  const listId = `${id}-list`;

  const add = (code: string) => {
    setText("");
    setOpen(false);
    setActive(0);
    if (!chosen.includes(code)) onChange([...chosen, code]);
  };

  return (
    <div className="country-picker route-origin">
      <label htmlFor={id}>{t("origin")}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-activedescendant={shown[active] ? `${id}-opt-${shown[active].code}` : undefined}
        aria-describedby={`${id}-hint ${id}-status`}
        autoComplete="off"
        spellCheck={false}
        placeholder={t("originAdd")}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            if (!open) setOpen(true);
            else setActive((a) => Math.min(a + 1, shown.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (shown[active]) add(shown[active].code);
          } else if (e.key === "Escape" && shown.length > 0) {
            // the list closes first; a second Escape closes the panel
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <p id={`${id}-hint`} className="route-hint">{t("originHint")}</p>
      <p id={`${id}-status`} className="visually-hidden" aria-live="polite">
        {open && text.trim() ? t("originMatches", { count: matches.length }) : ""}
      </p>
      <ul id={listId} role="listbox" className="country-list" aria-label={t("origin")} hidden={shown.length === 0}>
        {shown.map((o, i) => (
          <li
            key={o.code}
            id={`${id}-opt-${o.code}`}
            role="option"
            aria-selected={i === active}
            data-code={o.code}
            // a press, not a click: the input keeps the focus
            onMouseDown={(e) => {
              e.preventDefault();
              add(o.code);
            }}
          >
            <span>{o.name}</span> <span className="country-other" lang={locale === "zh" ? "en" : "zh-CN"}>{o.other}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** An HS heading typed and added with Enter or the button; a value that is not four digits is named beside the field, and nothing changes. */
function HsInput({ id, chosen, onAdd }: { id: string; chosen: string[]; onAdd: (heading: string) => void }) {
  const t = useTranslations("routeFilters");
  const [text, setText] = useState("");
  const [bad, setBad] = useState<string | null>(null);
  const submit = () => {
    const value = text.trim();
    if (!value) return;
    if (!isHsHeading(value)) {
      setBad(value);
      return;
    }
    setBad(null);
    setText("");
    if (!chosen.includes(value)) onAdd(value);
  };
  return (
    <div className="route-hs">
      <label htmlFor={id}>{t("hs")}</label>
      <div className="route-inline">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          size={8}
          value={text}
          aria-invalid={bad !== null || undefined}
          aria-describedby={bad !== null ? `${id}-error ${id}-hint` : `${id}-hint`}
          onChange={(e) => {
            setText(e.target.value);
            if (bad !== null) setBad(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" onClick={submit}>
          {t("hsAdd")}
        </button>
      </div>
      <p id={`${id}-hint`} className="route-hint">{t("hsHint")}</p>
      {bad !== null && (
        <p id={`${id}-error`} className="field-error route-error" role="alert" data-testid="hs-error">
          {t("hsBad", { value: bad })}
        </p>
      )}
    </div>
  );
}

/** A party's name (part of it) or code, applied as one types (debounced like the text search) or at once with Enter. */
function PartyInput({ id, value }: { id: string; value: string }) {
  const t = useTranslations("routeFilters");
  const { navigate } = useExplorerNavigation();
  const [text, setText] = useState(value);
  const lastSent = useRef(value);
  // follow the URL (a removed chip, the back button)
  useEffect(() => {
    setText(value);
    lastSent.current = value;
  }, [value]);
  const send = (v: string) => {
    lastSent.current = v;
    navigate((params) => (v.trim() ? params.set("party", v.trim()) : params.delete("party")));
  };
  useEffect(() => {
    if (text.trim() === lastSent.current.trim()) return;
    const timer = setTimeout(() => {
      lastSent.current = text;
      navigate((params) => (text.trim() ? params.set("party", text.trim()) : params.delete("party")));
    }, PARTY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, navigate]);
  return (
    <div className="route-party">
      <label htmlFor={id}>{t("party")}</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            if (text.trim() !== lastSent.current.trim()) send(text);
          }
        }}
      />
      <p id={`${id}-hint`} className="route-hint">{t("partyHint")}</p>
    </div>
  );
}
