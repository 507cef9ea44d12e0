"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { parseDateInput } from "@/lib/dates";

// A date typed as text: it reads YYYY-MM-DD in both languages (the browser's own date field
// shows "mm/dd/yyyy" or "年/月/日" after the browser's locale) and also takes 2025/3/14 and
// 2025年3月14日, which it turns into 2025-03-14 as the user leaves the field or presses Enter.

type Props = Omit<React.InputHTMLAttributes<HTMLInputElement>, "type" | "value" | "defaultValue" | "onChange"> & {
  defaultValue?: string;
  /** controlled use (the filter bar): the committed value, and what to do with a new one ("" for blank) */
  value?: string;
  onCommit?: (value: string) => void;
};

export function DateInput({ value, defaultValue, onCommit, onBlur, onKeyDown, placeholder, ...rest }: Props) {
  const t = useTranslations("dateInput");
  const controlled = value !== undefined;
  const [text, setText] = useState(value ?? "");
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (controlled) setText(value ?? "");
  }, [controlled, value]);

  const settle = (input: HTMLInputElement) => {
    const typed = input.value.trim();
    const day = typed === "" ? "" : parseDateInput(typed);
    if (day === null) {
      if (controlled) setBad(true);
      return;
    }
    setBad(false);
    if (controlled) {
      setText(day);
      if (day !== (value ?? "")) onCommit?.(day);
    } else if (day !== input.value) {
      input.value = day;
    }
  };

  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      placeholder={placeholder ?? t("placeholder")}
      size={11}
      {...(controlled ? { value: text, onChange: (e: React.ChangeEvent<HTMLInputElement>) => setText(e.target.value) } : { defaultValue })}
      aria-invalid={bad || rest["aria-invalid"] || undefined}
      title={bad ? t("invalid") : rest.title}
      onBlur={(e) => {
        settle(e.currentTarget);
        onBlur?.(e);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") settle(e.currentTarget);
        onKeyDown?.(e);
      }}
    />
  );
}
