import { describe, expect, it } from "vitest";
import { namesToRedact, redact, REDACTED } from "../../lib/redact";

describe("redacting other right holders from a member's view", () => {
  const names = namesToRedact([
    { name: "Xanvenri Microsystems", nameZh: "赞文瑞微系统" },
    { name: "Maison Aveline", nameZh: null },
  ]);

  it("blots out full names, Chinese names and brands, whole words only", () => {
    expect(redact("Circuit breakers copying a utility model of Xanvenri Microsystems", names)).toBe(
      `Circuit breakers copying a utility model of ${REDACTED}`,
    );
    expect(redact("Counterfeit xanvenri chips", names)).toBe(`Counterfeit ${REDACTED} chips`);
    expect(redact("仿冒赞文瑞微系统芯片", names)).toBe(`仿冒${REDACTED}芯片`);
    expect(redact("Aveline-branded bags", names)).toBe(`${REDACTED}-branded bags`);
    expect(redact("Xanvenrix is another word", names)).toBe("Xanvenrix is another word");
  });

  it("leaves text alone when nothing is hidden, and keeps null", () => {
    expect(redact("Imitation Irven keyrings", [])).toBe("Imitation Irven keyrings");
    expect(redact(null, names)).toBeNull();
  });

  it("treats names as text, not as patterns", () => {
    expect(redact("a (b) c", namesToRedact([{ name: "(b)", nameZh: null }]))).toBe(`a ${REDACTED} c`);
  });
});
