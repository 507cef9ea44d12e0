import { describe, expect, it } from "vitest";
import { csvCell, csvLine, neutraliseFormula, parseCsv, UTF8_BOM } from "../../lib/csv";
import { plainYuan } from "../../lib/export-columns";
import { codeOf, phraseMatches, searchWords, toIndexText, toMatchExpression } from "../../lib/search";

describe("text search expressions", () => {
  it("turns words into prefix phrases that must all match", () => {
    expect(toMatchExpression("handbags")).toBe('"handbags"*');
    expect(toMatchExpression("Maison Arvel")).toBe('"maison"* AND "arvel"*');
    expect(toMatchExpression("8600-2016-0012")).toBe('"8600 2016 0012"*');
  });

  it("also finds a party's code typed with spaces or hyphens, whole, in the parties' column", () => {
    expect(codeOf("9131 0000-ma1f l3lx 6b")).toBe("91310000ma1fl3lx6b");
    expect(toMatchExpression("91310000-MA1FL3LX6B")).toBe('("91310000 ma1fl3lx6b"*) OR (parties : "91310000ma1fl3lx6b")');
    // one token already matches as a word; words without a digit, a case number: no code
    expect(codeOf("91310000MA1FL3LX6B")).toBeNull();
    expect(codeOf("Maison Arvel")).toBeNull();
    expect(codeOf("8600-2016-0012")).toBeNull();
    expect(codeOf("MM-12")).toBeNull();
  });

  it("matches Chinese by characters, since the index stores Han characters one by one", () => {
    expect(toIndexText("阿维洛照明 Lighting")).toBe("阿 维 洛 照 明 Lighting");
    expect(toMatchExpression("阿维")).toBe('"阿 维"*');
  });

  it("cannot be made to inject FTS syntax", () => {
    expect(toMatchExpression('" OR 1=1 --')).toBe('"or"* AND "1 1"*');
    expect(toMatchExpression("NEAR(a b) * ^ : -")).toBe('"near a"* AND "b"*');
    expect(toMatchExpression("*** --- ")).toBeNull();
  });
});

describe("a word against a company's own names (a member's search, db/case-filters.ts)", () => {
  const word = (w: string) => searchWords(w)[0]!;
  it("matches as the index would: a phrase, its last token as a prefix, without case or accents", () => {
    expect(phraseMatches(word("arvel"), "Maison Arvel")).toBe(true);
    expect(phraseMatches(word("Arv"), "Maison Arvel")).toBe(true);
    expect(phraseMatches(word("maison-arvel"), "Maison Arvel")).toBe(true);
    expect(phraseMatches(word("hermes"), "Hermès Paris")).toBe(true);
    expect(phraseMatches(word("阿维"), "阿维洛照明")).toBe(true);
  });

  it("does not match inside a token, across a gap, or out of order", () => {
    expect(phraseMatches(word("rvel"), "Maison Arvel")).toBe(false);
    expect(phraseMatches(word("arvel-maison"), "Maison Arvel")).toBe(false);
    expect(phraseMatches(word("维洛x"), "阿维洛照明")).toBe(false);
    expect(searchWords("*** ---")).toEqual([]);
  });
});

describe("CSV for Excel", () => {
  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const evil of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(neutraliseFormula(evil)).toBe(`'${evil}`);
    expect(neutraliseFormula("8600-2016-0001")).toBe("8600-2016-0001");
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
  });

  it("quotes separators, quotes and line breaks, and reads them back", () => {
    const cells = ["a,b", 'say "hi"', "line\nbreak", "semi;colon", "昆明", 42, null];
    const line = csvLine(cells);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parseCsv(UTF8_BOM + line)).toEqual([["a,b", 'say "hi"', "line\nbreak", "semi;colon", "昆明", "42", ""]]);
  });

  it("writes yuan with two decimals from integer fen", () => {
    expect(plainYuan(625_000_000)).toBe("6250000.00");
    expect(plainYuan(1)).toBe("0.01");
    expect(plainYuan(29)).toBe("0.29");
  });
});
