import { describe, expect, it } from "vitest";
import { linksOfGroups, MAX_SHARED_BY, networksOf, normaliseText, UnionFind, watchWindowStart, type PartyLink } from "../../lib/watchlist";

// The watch-list's pure half (issue 18, item 2): the rule's window and the networks by union-find,
// on constructed data whose answer is known by hand.

describe("the rule's window", () => {
  it("counts whole months back from today, the day clamped to the month's end", () => {
    expect(watchWindowStart("2026-12-01", 24)).toBe("2024-12-01");
    expect(watchWindowStart("2026-03-31", 1)).toBe("2026-02-28");
    expect(watchWindowStart("2024-03-31", 1)).toBe("2024-02-29");
    expect(watchWindowStart("2026-01-15", 13)).toBe("2024-12-15");
    expect(watchWindowStart("2026-05-10", 120)).toBe("2016-05-10");
  });
});

describe("addresses compared", () => {
  it("ignores case, punctuation and spacing; an empty address links nothing", () => {
    expect(normaliseText("12, Jiegang  Road, Ruili")).toBe(normaliseText("12 jiegang road ruili"));
    expect(normaliseText("  云南省瑞丽市 姐告路12号 ")).toBe(normaliseText("云南省瑞丽市姐告路12号".replace("姐告", " 姐告")));
    expect(normaliseText(" - ")).toBe("");
    expect(normaliseText(null)).toBe("");
  });
});

describe("networks", () => {
  it("union-find joins what is linked and nothing else", () => {
    const uf = new UnionFind();
    uf.union(1, 2);
    uf.union(3, 4);
    uf.union(2, 4);
    uf.union(5, 6);
    expect(uf.find(1)).toBe(uf.find(3));
    expect(uf.find(5)).not.toBe(uf.find(1));
    expect(uf.find(7)).toBe(7);
  });

  // Known answer: parties 1–9.
  //   1 and 2 share a code; 2 and 3 share an address; 4 and 5 share an agent (party 9, not a member);
  //   5 and 6 share an address; 7 is alone; 8 shares nothing with anyone.
  //   Networks: {1,2,3} (identifier + address), {4,5,6} (agent + address).
  const links: PartyLink[] = [
    ...linksOfGroups([[1, 2]], "identifier"),
    ...linksOfGroups([[2, 3], [5, 6]], "address"),
    ...linksOfGroups([[4, 5]], "agent"),
  ];

  it("finds the connected components with what linked them", () => {
    expect(networksOf(links)).toEqual([
      { members: [1, 2, 3], reasons: ["identifier", "address"] },
      { members: [4, 5, 6], reasons: ["address", "agent"] },
    ]);
  });

  it("keeps only the networks that touch the listed parties", () => {
    expect(networksOf(links, [6, 7, 8])).toEqual([{ members: [4, 5, 6], reasons: ["address", "agent"] }]);
    expect(networksOf(links, [7])).toEqual([]);
  });

  it("is transitive through a chain, whatever the order of the links", () => {
    const chain: PartyLink[] = [10, 11, 12, 13, 14].map((a) => ({ a, b: a + 1, reason: "address" as const }));
    const reversed = [...chain].reverse();
    expect(networksOf(chain)).toEqual([{ members: [10, 11, 12, 13, 14, 15], reasons: ["address"] }]);
    expect(networksOf(reversed)).toEqual(networksOf(chain));
  });

  it("links every party of a group to one and ignores a duplicate", () => {
    expect(linksOfGroups([[3, 1, 2, 1]], "agent")).toEqual([{ a: 1, b: 2, reason: "agent" }, { a: 1, b: 3, reason: "agent" }]);
  });

  it("an address or agent shared by too many parties (a broker, a business centre) links nothing", () => {
    const many = Array.from({ length: MAX_SHARED_BY + 1 }, (_, i) => 100 + i);
    expect(linksOfGroups([many], "agent", MAX_SHARED_BY)).toEqual([]);
    expect(linksOfGroups([many.slice(1)], "agent", MAX_SHARED_BY)).toHaveLength(MAX_SHARED_BY - 1);
  });
});
