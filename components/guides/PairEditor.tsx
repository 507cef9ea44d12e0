"use client";

import { useState, type MouseEvent } from "react";
import { useTranslations } from "next-intl";
import { removeGuidePairAction, updateGuidePairAction } from "@/app/actions/guides";
import { Field, FormStatus, useAdminForm, type AdminForm } from "@/components/admin/form";
import type { GuidePair } from "@/db/repo/guides";
import type { Marker, MarkerSide } from "@/lib/guides";
import { imageUrl } from "./PairFigure";
import { useGuideErrors } from "./GuideForm";

// A pair's markers and text, for the guide's keepers. A marker is added by clicking on a
// picture (where it was clicked) or with the "add a marker" buttons (then placed by typing its
// x and y in per cent); every marker's side, position and label are fields of a list, so the
// whole editor works from the keyboard. Saved through the one action wrapper.

type Option = { value: string; label: string };
type Editable = Marker & { key: number };

export function PairEditor({ guideId, pair, features }: { guideId: number; pair: GuidePair; features: Option[] }) {
  const t = useTranslations("guides");
  const form = useAdminForm(updateGuidePairAction) as AdminForm;
  const errors = useGuideErrors(form);
  const removal = useAdminForm(removeGuidePairAction) as AdminForm;
  const [markers, setMarkers] = useState<Editable[]>(() => pair.markers.map((m, i) => ({ ...m, key: i })));
  const [next, setNext] = useState(pair.markers.length);
  const [confirming, setConfirming] = useState(false);

  const add = (side: MarkerSide, x = 50, y = 50) => {
    setMarkers((list) => [...list, { side, x, y, label: "", key: next }]);
    setNext((n) => n + 1);
  };
  const change = (key: number, patch: Partial<Marker>) => setMarkers((list) => list.map((m) => (m.key === key ? { ...m, ...patch } : m)));
  const clickAt = (side: MarkerSide) => (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.round(((event.clientX - box.left) / box.width) * 1000) / 10;
    const y = Math.round(((event.clientY - box.top) / box.height) * 1000) / 10;
    add(side, Math.min(100, Math.max(0, x)), Math.min(100, Math.max(0, y)));
  };
  const sideName = (side: MarkerSide) => (side === "genuine" ? t("genuine") : t("fake"));
  const json = JSON.stringify(markers.map(({ key: _k, ...m }) => m));

  return (
    <div className="guide-pair-editor" data-testid="pair-editor" data-pair={pair.id}>
      <div className="guide-pair-sides">
        {(["genuine", "fake"] as const).map((side) => (
          <div key={side} className="guide-side">
            <p className="guide-side-title">{sideName(side)}</p>
            {/* a click adds a marker there; the buttons below do the same from the keyboard */}
            <div className="guide-picture guide-picture-editable" onClick={clickAt(side)} data-testid={`marker-target-${side}`}>
              {/* eslint-disable-next-line @next/next/no-img-element -- a stored file, served by the API with its own access checks */}
              <img src={imageUrl(guideId, pair.id, side)} alt={sideName(side)} width={pair[side].width} height={pair[side].height} />
              {markers.map((m, i) =>
                m.side === side ? (
                  <span key={m.key} className={`guide-marker guide-marker-${side}`} style={{ left: `${m.x}%`, top: `${m.y}%` }} aria-hidden="true">
                    {i + 1}
                  </span>
                ) : null,
              )}
            </div>
            <button type="button" onClick={() => add(side)} data-testid={`add-marker-${side}`}>
              {t("addMarker", { side: sideName(side) })}
            </button>
          </div>
        ))}
      </div>
      <form {...form.formProps} className="admin-form">
        <FormStatus form={form} done={form.done ? t("pairSaved") : null} />
        <input type="hidden" name="guideId" value={guideId} />
        <input type="hidden" name="pairId" value={pair.id} />
        <input type="hidden" name="markers" value={json} />
        <fieldset className="guide-marker-fields">
          <legend>{t("markers")}</legend>
          {markers.length === 0 && <p className="muted">{t("noMarkers")}</p>}
          <ol>
            {markers.map((m, i) => (
              <li key={m.key} className="guide-marker-row" data-testid="marker-row">
                <label>
                  {t("markerSide")}{" "}
                  <select value={m.side} onChange={(e) => change(m.key, { side: e.target.value as MarkerSide })}>
                    <option value="genuine">{t("genuine")}</option>
                    <option value="fake">{t("fake")}</option>
                  </select>
                </label>
                <label>
                  {t("markerX")} <input type="number" min={0} max={100} step={0.1} value={m.x} onChange={(e) => change(m.key, { x: Number(e.target.value) })} />
                </label>
                <label>
                  {t("markerY")} <input type="number" min={0} max={100} step={0.1} value={m.y} onChange={(e) => change(m.key, { y: Number(e.target.value) })} />
                </label>
                <label>
                  {t("markerLabel", { n: i + 1 })}{" "}
                  <input type="text" maxLength={80} value={m.label} required autoFocus={m.label === "" && i === markers.length - 1} onChange={(e) => change(m.key, { label: e.target.value })} />
                </label>
                <button type="button" onClick={() => setMarkers((list) => list.filter((x) => x.key !== m.key))}>
                  {t("removeMarker", { n: i + 1 })}
                </button>
              </li>
            ))}
          </ol>
          {errors.error("markers") && <p className="field-error">{errors.error("markers")}</p>}
        </fieldset>
        <div className="admin-grid" key={form.key}>
          <Field form={errors} name="feature" label={t("feature")}>
            {(control) => (
              <select {...control} defaultValue={form.value("feature", pair.feature)}>
                {features.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field form={errors} name="captionEn" label={t("captionEn")}>
            {(control) => <input {...control} type="text" lang="en" maxLength={300} defaultValue={form.value("captionEn", pair.captionEn ?? "")} />}
          </Field>
          <Field form={errors} name="captionZh" label={t("captionZh")}>
            {(control) => <input {...control} type="text" lang="zh-CN" maxLength={300} defaultValue={form.value("captionZh", pair.captionZh ?? "")} />}
          </Field>
        </div>
        <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending} data-testid="save-pair">
          {form.pending ? t("saving") : t("savePair")}
        </button>
      </form>
      <form {...removal.formProps} className="guide-remove">
        <FormStatus form={removal} done={null} />
        <input type="hidden" name="guideId" value={guideId} />
        <input type="hidden" name="pairId" value={pair.id} />
        {confirming ? (
          <>
            <input type="hidden" name="confirm" value="yes" />
            <span>{t("removePairConfirm")}</span>{" "}
            <button type="submit" className="danger" disabled={removal.pending}>
              {t("removePairYes")}
            </button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            {t("removePair")}
          </button>
        )}
      </form>
    </div>
  );
}
