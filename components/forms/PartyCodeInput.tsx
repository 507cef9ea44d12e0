"use client";

import { useState } from "react";
import { isMasked, isValidIdNumber, normaliseCode, usccProblem } from "@/lib/party-codes";

// A party's code on the case form, checked as it is typed against the party's kind (read from
// the form's `<role>Kind` select): an enterprise's unified social credit code by its check
// character (GB 32100-2015), a person's 18-digit identity number by its own. The server checks
// the same (lib/case-schema.ts partyRules); this only says it sooner.

export type PartyCodeMessages = Record<"uscc_length" | "uscc_chars" | "uscc_check" | "id_check" | "masked", string>;

function problemOf(kind: string, raw: string): keyof PartyCodeMessages | null {
  const code = normaliseCode(raw);
  if (!code) return null;
  if (isMasked(code)) return "masked";
  if (kind === "enterprise") return usccProblem(code);
  if (kind === "person" && /^\d{17}[\dX]$/.test(code) && !isValidIdNumber(code)) return "id_check";
  return null;
}

export function PartyCodeInput({ role, id, defaultValue, describedBy, invalid, messages, fieldLabel }: {
  role: string;
  id: string;
  defaultValue: string;
  describedBy?: string;
  invalid: boolean;
  messages: PartyCodeMessages;
  fieldLabel: string;
}) {
  const [problem, setProblem] = useState<keyof PartyCodeMessages | null>(null);
  const check = (input: HTMLInputElement, final: boolean) => {
    const kind = (input.form?.elements.namedItem(`${role}Kind`) as HTMLSelectElement | null)?.value ?? "";
    const found = problemOf(kind, input.value);
    // while typing, a code is judged once it is long enough to be whole
    if (!final && found === "uscc_length" && normaliseCode(input.value).length < 18) return setProblem(null);
    setProblem(found);
  };
  const liveId = `${id}-live`;
  return (
    <>
      <input
        id={id}
        name={`${role}Code`}
        type="text"
        defaultValue={defaultValue}
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        aria-invalid={invalid || problem ? true : undefined}
        aria-describedby={[describedBy, problem ? liveId : null].filter(Boolean).join(" ") || undefined}
        onInput={(ev) => check(ev.currentTarget, false)}
        onBlur={(ev) => check(ev.currentTarget, true)}
        data-testid={`party-code-${role}`}
      />
      <p id={liveId} className="field-error" aria-live="polite" data-testid={`party-code-live-${role}`} hidden={!problem}>
        {problem ? `${fieldLabel}: ${messages[problem]}` : ""}
      </p>
    </>
  );
}
