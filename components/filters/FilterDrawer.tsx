"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";

// On a phone the filter bar sits in a drawer: the button says how many filters are set and
// opens it; the drawer takes focus, Escape or its close button shuts it and focus returns to
// the button. On a wide screen the button is not shown and the bar stays where it is.

export function FilterDrawer({ active, children }: { active: number; children: React.ReactNode }) {
  const t = useTranslations("filterDrawer");
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    if (open) panel.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);

  return (
    <div className="filter-drawer-wrap" data-open={open || undefined}>
      <button
        ref={opener}
        type="button"
        className="filter-drawer-button"
        aria-expanded={open}
        aria-controls="filter-drawer"
        data-testid="filter-drawer-button"
        onClick={() => setOpen(true)}
      >
        {active > 0 ? t("openCount", { count: active }) : t("open")}
      </button>
      {open && <div className="filter-drawer-backdrop" aria-hidden="true" onClick={() => setOpen(false)} />}
      <div
        id="filter-drawer"
        ref={panel}
        className="filter-drawer"
        tabIndex={-1}
        aria-label={t("label")}
        role="region"
        onKeyDown={(e) => {
          if (e.key === "Escape" && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <div className="filter-drawer-head">
          <span>{t("label")}</span>
          <button type="button" onClick={() => setOpen(false)} data-testid="filter-drawer-close">
            {t("close")}
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
