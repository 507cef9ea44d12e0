"use client";

import { useEffect, useRef } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { AttachmentRow } from "@/db/repo/attachments";
import { attachmentKinds, type Locale } from "@/lib/enums";
import { fileUrl, textLang } from "./files";

/**
 * The full-size viewer: a modal dialog over the page (focus moves into it and back to the page
 * when it closes), the left and right arrow keys and buttons move between the pictures, Escape
 * or the close button closes it.
 */
export function Viewer({ caseId, pictures, index, onMove, onClose }: {
  caseId: number;
  pictures: AttachmentRow[];
  index: number;
  onMove: (index: number) => void;
  onClose: () => void;
}) {
  const t = useTranslations("attachments");
  const locale = useLocale() as Locale;
  const dialog = useRef<HTMLDialogElement>(null);
  const picture = pictures[index]!;
  const total = pictures.length;
  const move = (step: number) => onMove((index + step + total) % total);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const label = picture.caption ?? attachmentKinds.label(picture.kind, locale);
  return (
    <dialog
      ref={dialog}
      className="viewer"
      aria-label={t("viewer")}
      data-testid="viewer"
      onClose={onClose}
      onKeyDown={(event) => {
        if (event.key === "ArrowRight") {
          event.preventDefault();
          move(1);
        } else if (event.key === "ArrowLeft") {
          event.preventDefault();
          move(-1);
        }
      }}
    >
      <figure>
        {/* eslint-disable-next-line @next/next/no-img-element -- a stored file of the API, served with the case's access checks */}
        <img src={fileUrl(caseId, picture.id)} alt={label} width={picture.width ?? undefined} height={picture.height ?? undefined} data-testid="viewer-image" />
        <figcaption>
          <span lang={textLang(picture.caption, locale)}>{label}</span>{" "}
          <span className="muted" data-testid="viewer-position">{t("position", { index: index + 1, total })}</span>
        </figcaption>
      </figure>
      <p className="muted small">{t("viewerHint")}</p>
      <div className="viewer-actions">
        <button type="button" onClick={() => move(-1)} disabled={total < 2}>
          ← {t("previous")}
        </button>
        <button type="button" onClick={() => move(1)} disabled={total < 2}>
          {t("next")} →
        </button>
        <a href={fileUrl(caseId, picture.id, "download")} download>
          {t("download", { name: label })}
        </a>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus data-testid="viewer-close">
          {t("close")}
        </button>
      </div>
    </dialog>
  );
}
