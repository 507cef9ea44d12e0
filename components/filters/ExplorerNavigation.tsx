"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useTransition } from "react";

// The URL is the state of the explorer: every control changes search params, and the page
// renders them on the server. One transition per change gives every control a pending state.

type Navigation = {
  /** Changes the URL's params; a filter change starts again at page 1. */
  navigate: (update: (params: URLSearchParams) => void, options?: { keepPage?: boolean }) => void;
  isPending: boolean;
};

const NavigationContext = createContext<Navigation | null>(null);

export function ExplorerNavigation({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();
  const navigate = useCallback<Navigation["navigate"]>(
    (update, options) => {
      const params = new URLSearchParams(searchParams.toString());
      update(params);
      if (!options?.keepPage) params.delete("page");
      const query = params.toString();
      startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [router, pathname, searchParams],
  );
  return (
    <NavigationContext.Provider value={{ navigate, isPending }}>
      <div className="explorer" aria-busy={isPending}>
        {children}
      </div>
    </NavigationContext.Provider>
  );
}

export function useExplorerNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error("useExplorerNavigation must be used inside <ExplorerNavigation>");
  return value;
}
