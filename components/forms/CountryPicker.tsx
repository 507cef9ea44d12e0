"use client";

import { useMemo, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { countryName, searchCountries } from "@/lib/countries";
import type { Locale } from "@/lib/enums";

const MAX_SHOWN = 12;

/**
 * A country chosen by name in either language (or by its code): a combobox over the ISO 3166
 * list. Typing filters; Arrow keys move through the matches, Enter picks one, Escape closes
 * the list; leaving the field keeps the last country picked. The form gets the alpha-2 code
 * in a hidden input, as before; blank is "not known".
 */
export function CountryPicker({ id, name, defaultValue, invalid, describedBy, fieldLabel }: {
  id: string;
  name: string;
  defaultValue: string;
  invalid?: boolean;
  describedBy?: string;
  /** the field's label, for the clear button's name */
  fieldLabel: string;
}) {
  const t = useTranslations("forms.country");
  const locale = useLocale() as Locale;
  const [code, setCode] = useState(defaultValue.trim().toUpperCase());
  const shownName = (c: string) => (c ? countryName(c, locale) : "");
  const [text, setText] = useState(() => shownName(code));
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => (open ? searchCountries(text, locale) : []), [open, text, locale]);
  const shown = matches.slice(0, MAX_SHOWN);
  const listId = `${id}-list`;
  const statusId = `${id}-status`;

  const pick = (c: string) => {
    setCode(c);
    setText(shownName(c));
    setOpen(false);
  };
  /** On leaving: an exact name or code is taken; blank clears; anything else goes back to the country picked. */
  const settle = () => {
    const typed = text.trim();
    if (!typed) return pick("");
    const exact = searchCountries(typed, locale).find(
      (o) => o.code.toLowerCase() === typed.toLowerCase() || o.name === typed || o.other.toLowerCase() === typed.toLowerCase(),
    );
    pick(exact ? exact.code : code);
  };

  return (
    <div className="country-picker">
      <input type="hidden" name={name} value={code} data-testid={`${id}-code`} />
      <div className="country-picker-box">
        <input
          ref={input}
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open && shown.length > 0}
          aria-controls={listId}
          aria-activedescendant={open && shown[active] ? `${id}-opt-${shown[active].code}` : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={[describedBy, statusId].filter(Boolean).join(" ")}
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={(e) => e.currentTarget.select()}
          onBlur={settle}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              if (!open) setOpen(true);
              else setActive((a) => Math.min(a + 1, shown.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter") {
              // Enter picks the match instead of submitting the form
              if (open && shown[active]) {
                e.preventDefault();
                pick(shown[active].code);
              }
            } else if (e.key === "Escape" && open) {
              e.preventDefault();
              setOpen(false);
              setText(shownName(code));
            }
          }}
        />
        {code && (
          <button
            type="button"
            className="country-clear"
            aria-label={t("clear", { field: fieldLabel })}
            title={t("clear", { field: fieldLabel })}
            onClick={() => {
              pick("");
              input.current?.focus();
            }}
          >
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      <p id={statusId} className="visually-hidden" aria-live="polite">
        {open && text.trim() ? t("matches", { count: matches.length }) : ""}
      </p>
      <ul id={listId} role="listbox" className="country-list" aria-label={fieldLabel} hidden={!open || shown.length === 0}>
        {shown.map((o, i) => (
          <li
            key={o.code}
            id={`${id}-opt-${o.code}`}
            role="option"
            aria-selected={i === active}
            data-code={o.code}
            // a press, not a click: the input keeps focus and its blur does not undo the pick
            onMouseDown={(e) => {
              e.preventDefault();
              pick(o.code);
            }}
          >
            <span>{o.name}</span> <span className="country-other" lang={locale === "zh" ? "en" : "zh-CN"}>{o.other}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
