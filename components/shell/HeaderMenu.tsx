"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";

// The header's links, language switch and account. On a wide screen they sit on the header's
// one line and the button is not shown; on a phone they fold behind the Menu button (a
// disclosure: Enter or Space opens it, Escape closes it and returns to the button, and a
// navigation closes it).

export function HeaderMenu({ label, closeLabel, children }: { label: string; closeLabel: string; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls="header-menu"
        data-testid="menu-button"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">{open ? "✕" : "☰"}</span> {open ? closeLabel : label}
      </button>
      <div
        id="header-menu"
        className="header-menu"
        data-open={open || undefined}
        onKeyDown={(e) => {
          if (e.key === "Escape" && open) {
            setOpen(false);
            button.current?.focus();
          }
        }}
      >
        {children}
      </div>
    </>
  );
}
