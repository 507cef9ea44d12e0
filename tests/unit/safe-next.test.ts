import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/roles";

// Where the login page sends a user after signing in: only a path of this site, in a form
// that is a valid Location header (issue 13: "/%09/evil.example" left the site, "/%0a/x" gave 500).

describe("safeNext", () => {
  it("keeps the site's own paths with their query and fragment", () => {
    expect(safeNext("/")).toBe("/");
    expect(safeNext("/cases?type=copyright&district=8600")).toBe("/cases?type=copyright&district=8600");
    expect(safeNext("/cases/12#history")).toBe("/cases/12#history");
    expect(safeNext("/cases?q=a%20b")).toBe("/cases?q=a%20b");
    expect(safeNext("/cases?q=a+b")).toBe("/cases?q=a+b");
    expect(safeNext("/cases?q=a b")).toBe("/cases?q=a%20b");
    expect(safeNext("/cases?q=a%0a")).toBe("/cases?q=a%0a");
  });

  it("percent-encodes what a Location header cannot carry raw", () => {
    expect(safeNext("/cases?q=中")).toBe("/cases?q=%E4%B8%AD");
    expect(safeNext("/right-holders/1?q=\"x\"")).toBe("/right-holders/1?q=%22x%22");
  });

  it("refuses other origins in every spelling", () => {
    for (const next of [
      "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:/evil.example",
      "javascript:alert(1)", "evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/.//evil.example",
      "/a/../..//evil.example", "/./%2e%2e//evil.example",
    ]) {
      expect(safeNext(next), next).toBe("/");
    }
  });

  it("refuses control characters and whitespace, raw or %-encoded, that browsers strip or rewrite", () => {
    for (const next of [
      "/\t/evil.example", "/%09/evil.example", "/\n/x", "/%0a/x", "/%0A/x", "/\r/x", "/%0d/x", "/%00/x", "/%7f/x",
      "/\u3000/x", "/%E3%80%80", "/%E3%80%80/evil.example", "/%C2%A0/x", "/\u00a0/x", "/%E2%80%8B/x", "/%EF%BB%BF/x", "/a b",
      "/cases?q=a\nb", "/cases#\r",
    ]) {
      expect(safeNext(next), JSON.stringify(next)).toBe("/");
    }
  });

  it("refuses a broken %-escape, nothing at all, and anything absurdly long", () => {
    expect(safeNext("/%E3%80")).toBe("/");
    expect(safeNext("/%")).toBe("/");
    expect(safeNext(null)).toBe("/");
    expect(safeNext(undefined)).toBe("/");
    expect(safeNext("")).toBe("/");
    expect(safeNext(`/cases?q=${"a".repeat(20_000)}`)).toBe("/");
  });
});
