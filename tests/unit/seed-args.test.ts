import { describe, expect, it } from "vitest";
import { UsageError, parseSeedArgs } from "../../seed/args";

describe("seed arguments", () => {
  it("has defaults of 100,000 cases and seed 1, no reset", () => {
    expect(parseSeedArgs([])).toEqual({ cases: 100_000, seed: 1, reset: false, help: false });
  });

  it("reads --cases, --seed and --reset, spaced or with =", () => {
    expect(parseSeedArgs(["--cases", "1000000", "--seed", "7", "--reset"])).toEqual({ cases: 1_000_000, seed: 7, reset: true, help: false });
    expect(parseSeedArgs(["--cases=2000", "--seed=0"])).toMatchObject({ cases: 2000, seed: 0 });
    expect(parseSeedArgs(["--cases", "1_000_000"])).toMatchObject({ cases: 1_000_000 });
  });

  it.each([
    [["--cases", "abc"], /--cases must be a whole number, got "abc"/],
    [["--cases", "-5"], /--cases must be a whole number, got "-5"/],
    [["--cases", "10"], /--cases must be from 1000 to 5000000/],
    [["--cases"], /--cases needs a value/],
    [["--seed", "1.5"], /--seed must be a whole number/],
    [["--bogus"], /unknown argument "--bogus"/],
    [["100"], /unknown argument "100"/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(UsageError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});
