"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { AttachmentRow } from "@/db/repo/attachments";
import { attachmentKinds, type AttachmentKind, type Locale } from "@/lib/enums";
import { formatBytes } from "@/lib/attachments";
import { AttachmentCard } from "./AttachmentCard";
import { Viewer } from "./Viewer";
import { fileUrl, textLang } from "./files";

// The files of a case: thumbnails (a PDF as a document to download), a full-size viewer for
// the pictures, uploads by drag-and-drop or the picker (several at once, each with its
// progress), and caption, kind and (customs) sharing edited in place, removal after a
// confirmation. The list is the server's (GET /api/cases/{id}/attachments), read again after
// each change; the rules of who sees and changes what are the server's, not these buttons'.

type Upload = { key: number; name: string; percent: number; state: "waiting" | "sending" | "done" | "failed"; reason?: string };

export type GalleryProps = {
  caseId: number;
  initial: AttachmentRow[];
  /** may add files (admins; a member on its own company's cases) */
  canAdd: boolean;
  /** customs staff who may edit any file and share it (admins) */
  staffEditor: boolean;
};

export function Gallery({ caseId, initial, canAdd, staffEditor }: GalleryProps) {
  const t = useTranslations("attachments");
  const locale = useLocale() as Locale;
  const [items, setItems] = useState<AttachmentRow[]>(initial);
  const [loading, setLoading] = useState<"idle" | "loading" | "failed">("idle");
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [newKind, setNewKind] = useState<AttachmentKind>("goods_photo");
  const [dragging, setDragging] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const nextKey = useRef(1);

  const reload = useCallback(async () => {
    setLoading("loading");
    try {
      const response = await fetch(`/api/cases/${caseId}/attachments`, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      setItems(((await response.json()) as { attachments: AttachmentRow[] }).attachments);
      setLoading("idle");
    } catch {
      setLoading("failed");
    }
  }, [caseId]);

  const send = (file: File, kind: AttachmentKind, key: number) =>
    new Promise<void>((resolve) => {
      const update = (patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));
      const request = new XMLHttpRequest();
      request.open("POST", `/api/cases/${caseId}/attachments?${new URLSearchParams({ name: file.name, kind })}`);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) update({ percent: Math.round((event.loaded / event.total) * 100) });
      };
      request.onload = () => {
        if (request.status === 201) {
          // the name as kept (any path the browser sent dropped, the content's extension)
          let kept = file.name;
          try {
            kept = (JSON.parse(request.responseText) as { fileName?: string }).fileName ?? kept;
          } catch {}
          update({ state: "done", percent: 100, name: kept });
        }
        else {
          let code = "failed";
          try {
            code = (JSON.parse(request.responseText) as { error?: string }).error ?? "failed";
          } catch {}
          if (request.status === 404) code = "not_found";
          update({ state: "failed", reason: code });
        }
        resolve();
      };
      request.onerror = () => {
        update({ state: "failed", reason: "network" });
        resolve();
      };
      update({ state: "sending" });
      request.send(file);
    });

  async function upload(files: File[]) {
    if (!files.length) return;
    const queued = files.map((file) => ({ file, key: nextKey.current++ }));
    setUploads((list) => [
      ...list.filter((u) => u.state === "sending" || u.state === "waiting"),
      ...queued.map(({ file, key }): Upload => ({ key, name: file.name, percent: 0, state: "waiting" })),
    ]);
    // one after the other: the server re-encodes each picture, and a case page should not hold a server's cores
    for (const { file, key } of queued) await send(file, newKind, key);
    await reload();
  }

  const reasonText = (code: string | undefined) => {
    const known = ["too_large", "type", "too_many_pixels", "unreadable", "too_many", "empty", "caption_too_long", "kind", "not_found", "network"];
    return t(`errors.${known.includes(code ?? "") ? code : "failed"}` as "errors.failed");
  };

  const pictures = items.filter((a) => a.hasThumbnail);
  const viewIndex = viewing === null ? -1 : pictures.findIndex((p) => p.id === viewing);

  useEffect(() => {
    // a picture removed while it was open: close the viewer
    if (viewing !== null && viewIndex === -1) setViewing(null);
  }, [viewing, viewIndex]);

  return (
    <section className="panel attachments" aria-labelledby="attachments-title" data-testid="attachments">
      <div className="attachments-head">
        <h2 id="attachments-title">{t("title")}</h2>
        <span className="muted">{t("count", { count: items.length })}</span>
      </div>
      {canAdd && (
        <div
          className={`drop-zone${dragging ? " dragging" : ""}`}
          data-testid="drop-zone"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            void upload([...event.dataTransfer.files]);
          }}
        >
          <p>
            {t("dropHint")}{" "}
            <button type="button" className="link-button" onClick={() => picker.current?.click()}>
              {t("choose")}
            </button>
          </p>
          <input
            ref={picker}
            id={`attachment-picker-${caseId}`}
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp,application/pdf"
            className="visually-hidden"
            aria-label={t("add")}
            data-testid="attachment-picker"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = "";
              void upload(files);
            }}
          />
          <label className="inline-field">
            {t("kindForNew")}{" "}
            <select value={newKind} onChange={(event) => setNewKind(event.target.value as AttachmentKind)} data-testid="new-kind">
              {attachmentKinds.values.map((k) => (
                <option key={k} value={k}>
                  {attachmentKinds.label(k, locale)}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">{t("limits")}</p>
        </div>
      )}
      <ul className="upload-list" aria-live="polite" data-testid="uploads">
        {uploads.map((u) => (
          <li key={u.key} data-state={u.state}>
            {u.state === "failed" ? (
              <span className="form-error" role="alert">
                {t("failedUpload", { name: u.name, reason: reasonText(u.reason) })}
              </span>
            ) : u.state === "done" ? (
              <span className="form-ok">{t("uploaded", { name: u.name })}</span>
            ) : (
              <>
                <span>{t("uploading", { name: u.name })}</span>{" "}
                <progress max={100} value={u.percent} aria-label={t("uploading", { name: u.name })} />{" "}
                <span className="muted">{t("progress", { percent: u.percent })}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      {loading === "loading" && (
        <p className="muted" role="status">
          {t("refreshing")}
        </p>
      )}
      {loading === "failed" && (
        <p className="form-error" role="alert">
          {t("loadFailed")}{" "}
          <button type="button" className="link-button" onClick={() => void reload()}>
            {t("retry")}
          </button>
        </p>
      )}
      {items.length === 0 ? (
        <p className="muted" data-testid="attachments-empty">
          {t("empty")}
        </p>
      ) : (
        <ul className="gallery" data-testid="gallery">
          {items.map((a) => (
            <AttachmentCard
              key={a.id}
              attachment={a}
              caseId={caseId}
              editable={staffEditor || (canAdd && !a.byCustoms)}
              canShare={staffEditor}
              onOpen={() => setViewing(a.id)}
              onChanged={reload}
              sizeLabel={formatBytes(a.bytes, locale)}
              captionLang={textLang(a.caption, locale)}
            />
          ))}
        </ul>
      )}
      {viewIndex >= 0 && (
        <Viewer
          caseId={caseId}
          pictures={pictures}
          index={viewIndex}
          onMove={(index) => setViewing(pictures[index]!.id)}
          onClose={() => setViewing(null)}
        />
      )}
    </section>
  );
}
