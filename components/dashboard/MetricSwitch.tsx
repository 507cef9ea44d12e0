"use client";

import { useState } from "react";

type Metric = "cases" | "valueFen";

/** Shows one of two server-drawn views of a chart (by cases, by value); the only chart code in the browser. */
export function MetricSwitch({ label, names, views }: {
  label: string;
  names: Record<Metric, string>;
  views: Record<Metric, React.ReactNode>;
}) {
  const [metric, setMetric] = useState<Metric>("cases");
  return (
    <div className="chart-switch wide" data-chart="district" data-metric={metric}>
      <div className="segmented chart-switch-buttons" role="group" aria-label={label}>
        {(["cases", "valueFen"] as const).map((m) => (
          <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
            {names[m]}
          </button>
        ))}
      </div>
      <div hidden={metric !== "cases"}>{views.cases}</div>
      <div hidden={metric !== "valueFen"}>{views.valueFen}</div>
    </div>
  );
}
