import { describe, expect, it } from "vitest";
import { checkHistory, statusOf } from "../../lib/procedure";
import { buildReference, generateCases } from "../../seed/generate";
import { getsSteps, seedSteps, stepsForCase } from "../../seed/steps";

// The demo steps: every history the generator writes is one the state machine accepts, step by
// step (deadlines, bonds against the goods' value, release grounds), and ends in the status the
// case was generated with; the same seed gives the same steps.

describe("the demo cases' procedure steps", () => {
  const cases = [...generateCases({ cases: 4_000, seed: 7, reference: buildReference() })].flat();
  const eligible = cases.filter(getsSteps);

  it("are accepted by the state machine and keep each case's status", () => {
    let withSteps = 0;
    for (const c of eligible) {
      const steps = stepsForCase(c, 7);
      if (steps.length === 0) continue;
      withSteps++;
      const check = checkHistory(steps, undefined, { goodsValueFen: c.valueFen });
      expect(check, `${c.caseNo} (${c.status}, ${c.protectionMode})`).toMatchObject({ ok: true });
      expect(statusOf(steps), c.caseNo).toBe(c.status);
    }
    // nearly every eligible case gets its history
    expect(withSteps / eligible.length).toBeGreaterThan(0.95);
  }, 60_000);

  it("cover the last two years and Kunming only, the same for the same seed", () => {
    const rows = [...seedSteps(cases, 7)];
    const stepped = new Set(rows.map((r) => r.caseId));
    for (const c of cases) {
      if (stepped.has(c.id)) expect(c.caseNo.startsWith("8600-") || ["2024", "2025"].includes(c.seizedOn.slice(0, 4)), c.caseNo).toBe(true);
    }
    expect(cases.filter((c) => c.caseNo.startsWith("8600-") && stepped.has(c.id)).length).toBeGreaterThan(50);
    const again = [...seedSteps(cases, 7)];
    expect(JSON.stringify(again)).toBe(JSON.stringify(rows));
    expect(JSON.stringify([...seedSteps(eligible.slice(0, 50), 8)])).not.toBe(JSON.stringify([...seedSteps(eligible.slice(0, 50), 7)]));
  }, 60_000);
});
