"use client";

import { FILTER_NAMES } from "@/lib/filters";
import { useExplorerNavigation } from "./ExplorerNavigation";

export function ClearFiltersButton({ label }: { label: string }) {
  const { navigate } = useExplorerNavigation();
  return (
    <button type="button" onClick={() => navigate((params) => FILTER_NAMES.forEach((name) => params.delete(name)))}>
      {label}
    </button>
  );
}
