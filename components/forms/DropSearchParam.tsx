"use client";

import { useEffect } from "react";

/**
 * Takes a one-time parameter (a notice's `?deleted=…`) out of the address once the page shows
 * it, so that filtering, sharing or reloading the page does not repeat the notice.
 */
export function DropSearchParam({ name }: { name: string }) {
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has(name)) return;
    url.searchParams.delete(name);
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }, [name]);
  return null;
}
