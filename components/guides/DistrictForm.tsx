"use client";

import { useTranslations } from "next-intl";
import { setAccountDistrictAction } from "@/app/actions/guides";
import { Field, FormStatus, useAdminForm, type AdminForm } from "@/components/admin/form";
import { useGuideErrors } from "./GuideForm";

type Option = { value: string; label: string };

/** An admin sets a customs account's district: the authentication guides shared with that district are then shown to it. */
export function DistrictForm({ userId, district, districts }: { userId: string; district: string | null; districts: Option[] }) {
  const t = useTranslations("guides");
  const form = useAdminForm(setAccountDistrictAction) as AdminForm;
  const errors = useGuideErrors(form);
  return (
    <form {...form.formProps} className="admin-form" data-testid="account-district">
      <FormStatus form={form} done={form.done ? t("districtSaved") : null} />
      <input type="hidden" name="userId" value={userId} />
      <div key={form.key}>
        <Field form={errors} name="district" label={t("accountDistrict")} hint={t("accountDistrictHint")}>
          {(control) => (
            <select {...control} defaultValue={form.value("district", district ?? "")}>
              <option value="">{t("noDistrict")}</option>
              {districts.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" disabled={form.pending} aria-busy={form.pending}>
        {t("saveDistrict")}
      </button>
    </form>
  );
}
