import { recordationStates, type Locale, type RecordationState } from "@/lib/enums";

/** A recordation's derived state as a labelled badge (the colour repeats the words, never replaces them). */
export function StateBadge({ state, locale }: { state: RecordationState; locale: Locale }) {
  return (
    <span className={`rec-state rec-state-${state}`} data-state={state}>
      {recordationStates.label(state, locale)}
    </span>
  );
}
