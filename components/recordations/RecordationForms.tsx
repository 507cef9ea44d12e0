"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import {
  approveRecordationAction, createRecordationAction, renewRecordationAction, revokeRecordationAction,
  setRecordationPartiesAction, updateRecordationAction,
} from "@/app/actions/recordations";
import { Field, FormStatus, useAdminForm, type AdminForm } from "@/components/admin/form";
import { DateInput } from "@/components/ui/DateInput";

// The recordations' forms: create (a member for its own company, an admin for any), the
// admin's edit, and on the detail page the parties, renewal, approval and revocation. Each
// translates its field errors (admin.errors) and keeps what was typed after a refusal.

type Option = { value: string; label: string };

export type RecordationValues = {
  number: string;
  holderId: number | null;
  kind: string;
  rightNo: string;
  titleEn: string;
  titleZh: string | null;
  classes: number[];
  validFrom: string;
  validTo: string;
  licensees: string[];
  consignors: string[];
};

export const EMPTY_RECORDATION: RecordationValues = {
  number: "", holderId: null, kind: "trademark", rightNo: "", titleEn: "", titleZh: null, classes: [], validFrom: "", validTo: "", licensees: [], consignors: [],
};

function PartyFields({ form, licensees, consignors }: { form: AdminForm; licensees: string[]; consignors: string[] }) {
  const t = useTranslations("recordations");
  return (
    <>
      <Field form={form} name="licensees" label={t("licensees")} hint={t("oneALine")}>
        {(control) => <textarea {...control} rows={3} defaultValue={form.value("licensees", licensees.join("\n"))} />}
      </Field>
      <Field form={form} name="consignors" label={t("consignors")} hint={t("oneALine")}>
        {(control) => <textarea {...control} rows={3} defaultValue={form.value("consignors", consignors.join("\n"))} />}
      </Field>
    </>
  );
}

function RecordationFields({ form, r, holders, kinds, ownHolder }: { form: AdminForm; r: RecordationValues; holders: Option[] | null; kinds: Option[]; ownHolder: string | null }) {
  const t = useTranslations("recordations");
  return (
    <div className="admin-grid" key={form.key}>
      <Field form={form} name="number" label={t("number")} hint={t("numberHint")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("number", r.number)} required maxLength={11} autoCapitalize="characters" />}
      </Field>
      {holders ? (
        <Field form={form} name="holderId" label={t("holder")}>
          {(control) => (
            <select {...control} defaultValue={form.value("holderId", r.holderId === null ? "" : String(r.holderId))} required>
              <option value="">{t("chooseHolder")}</option>
              {holders.map((h) => (
                <option key={h.value} value={h.value}>
                  {h.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <p className="admin-field">
          <strong>{t("holder")}</strong>
          <br />
          {ownHolder}
        </p>
      )}
      <Field form={form} name="kind" label={t("kind")}>
        {(control) => (
          <select {...control} defaultValue={form.value("kind", r.kind)} required>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} name="rightNo" label={t("rightNo")} hint={t("rightNoHint")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("rightNo", r.rightNo)} required maxLength={60} />}
      </Field>
      <Field form={form} name="titleEn" label={t("titleEn")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("titleEn", r.titleEn)} required maxLength={200} />}
      </Field>
      <Field form={form} name="titleZh" label={t("titleZh")} hint={t("optional")}>
        {(control) => <input {...control} type="text" lang="zh-CN" defaultValue={form.value("titleZh", r.titleZh ?? "")} maxLength={200} />}
      </Field>
      <Field form={form} name="classes" label={t("classes")} hint={t("classesHint")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("classes", r.classes.join(", "))} maxLength={200} />}
      </Field>
      <Field form={form} name="validFrom" label={t("validFrom")}>
        {(control) => <DateInput {...control} defaultValue={form.value("validFrom", r.validFrom)} required />}
      </Field>
      <Field form={form} name="validTo" label={t("validTo")} hint={t("validToHint")}>
        {(control) => <DateInput {...control} defaultValue={form.value("validTo", r.validTo)} />}
      </Field>
      <Field form={form} name="image" label={t("image")} hint={t("imageHint")}>
        {(control) => <input {...control} type="file" accept="image/png,image/jpeg,image/webp" />}
      </Field>
      <PartyFields form={form} licensees={r.licensees} consignors={r.consignors} />
    </div>
  );
}

export function CreateRecordationForm({ holders, kinds, ownHolder }: { holders: Option[] | null; kinds: Option[]; ownHolder: string | null }) {
  const t = useTranslations("recordations");
  const form = useAdminForm(createRecordationAction);
  const done = form.done ? (
    <>
      {t("created", { number: form.done.number })}{" "}
      <Link href={`/recordations/${form.done.id}`} data-testid="open-created">
        {t("open")}
      </Link>
    </>
  ) : null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="create-recordation">
      <FormStatus form={form} done={done} />
      <RecordationFields form={form as AdminForm} r={EMPTY_RECORDATION} holders={holders} kinds={kinds} ownHolder={ownHolder} />
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {form.pending ? t("saving") : t("create")}
      </button>
    </form>
  );
}

export function EditRecordationForm({ id, version, r, holders, kinds }: { id: number; version: number; r: RecordationValues; holders: Option[]; kinds: Option[] }) {
  const t = useTranslations("recordations");
  const form = useAdminForm(updateRecordationAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="edit-recordation">
      <FormStatus form={form} done={form.done ? <Link href={`/recordations/${id}`}>{t("saved")}</Link> : null} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <RecordationFields form={form as AdminForm} r={r} holders={holders} kinds={kinds} ownHolder={null} />
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {form.pending ? t("saving") : t("save")}
      </button>
    </form>
  );
}

export function PartiesForm({ id, version, licensees, consignors }: { id: number; version: number; licensees: string[]; consignors: string[] }) {
  const t = useTranslations("recordations");
  const form = useAdminForm(setRecordationPartiesAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="parties-form">
      <FormStatus form={form} done={form.done ? t("partiesSaved") : null} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <div className="admin-grid" key={form.key}>
        <PartyFields form={form as AdminForm} licensees={licensees} consignors={consignors} />
      </div>
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {t("partiesSave")}
      </button>
    </form>
  );
}

function ConfirmBox({ form, label }: { form: AdminForm; label: string }) {
  const id = `${form.prefix}-confirm`;
  const error = form.error("confirm");
  return (
    <div className="admin-check">
      <input type="checkbox" id={id} name="confirm" value="yes" required aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <label htmlFor={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A write that needs only the recordation, its version and a confirmation (renew, approve). */
function ConfirmedForm({ action, id, version, testId, confirmLabel, button, done }: {
  action: typeof renewRecordationAction | typeof approveRecordationAction;
  id: number;
  version: number;
  testId: string;
  confirmLabel: string;
  button: string;
  done: string;
}) {
  const form = useAdminForm(action as typeof approveRecordationAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid={testId}>
      <FormStatus form={form} done={form.done ? done : null} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <div key={form.key}>
        <ConfirmBox form={form as AdminForm} label={confirmLabel} />
      </div>
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {button}
      </button>
    </form>
  );
}

export function RenewForm({ id, version, newValidTo }: { id: number; version: number; newValidTo: string }) {
  const t = useTranslations("recordations");
  return <ConfirmedForm action={renewRecordationAction} id={id} version={version} testId="renew-form" confirmLabel={t("renewConfirm", { validTo: newValidTo })} button={t("renew")} done={t("renewed")} />;
}

export function ApproveForm({ id, version }: { id: number; version: number }) {
  const t = useTranslations("recordations");
  return <ConfirmedForm action={approveRecordationAction} id={id} version={version} testId="approve-form" confirmLabel={t("approveConfirm")} button={t("approve")} done={t("approved")} />;
}

export function RevokeForm({ id, version }: { id: number; version: number }) {
  const t = useTranslations("recordations");
  const form = useAdminForm(revokeRecordationAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="revoke-form">
      <FormStatus form={form} done={form.done ? t("revokedDone") : null} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <div key={form.key}>
        <Field form={form as AdminForm} name="reason" label={t("revokeReason")}>
          {(control) => <textarea {...control} rows={2} required maxLength={500} defaultValue={form.value("reason", "")} />}
        </Field>
        <ConfirmBox form={form as AdminForm} label={t("revokeConfirm")} />
      </div>
      <button type="submit" className="danger" disabled={form.pending} aria-busy={form.pending}>
        {t("revoke")}
      </button>
    </form>
  );
}
