// The watch-list of parties (issue 18, item 2), the pure half: the rule (a party with at least
// `minCases` live cases seized in the last `months` months is listed), its window, and the
// networks: parties linked by a shared identifier (the same code or the same person's keyed
// hash), the same normalised address, or the same declarant/agent on their cases, grouped into
// connected components by union-find. db/watchlist.ts reads the links; this module joins them.

export type WatchRule = { minCases: number; months: number };
export const DEFAULT_WATCH_RULE: WatchRule = { minCases: 2, months: 24 };
export const MAX_WATCH_MONTHS = 120;
export const MAX_WATCH_CASES = 1000;

/** The first day (YYYY-MM-DD) inside the window: `months` before `today` (the day clamped to the month's end). */
export function watchWindowStart(today: string, months: number): string {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** An address or name as compared: NFKC, lower case, punctuation dropped, spaces single. Empty when nothing is left. */
export function normaliseText(text: string | null | undefined): string {
  return (text ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[.,;:'"()（），。；：、#\-–—/]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Why two parties are linked. */
export type LinkReason = "identifier" | "address" | "agent";

/** One link: parties `a` and `b` share something (`reason`, and what: a code, an address, the agent's party id). */
export type PartyLink = { a: number; b: number; reason: LinkReason };

/** Union-find over party ids (path halving, union by size). */
export class UnionFind {
  private parent = new Map<number, number>();
  private size = new Map<number, number>();

  find(x: number): number {
    if (!this.parent.has(x)) {
      this.parent.set(x, x);
      this.size.set(x, 1);
      return x;
    }
    let r = x;
    while (this.parent.get(r) !== r) {
      const p = this.parent.get(r)!;
      this.parent.set(r, this.parent.get(p)!);
      r = this.parent.get(r)!;
    }
    return r;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
  }
}

/**
 * A shared address or agent links its parties only when few share it: an address or a customs
 * broker shared by more than this many parties (a business centre, a broker serving a whole
 * district) says nothing about who works together, and would join everyone into one network.
 */
export const MAX_SHARED_BY = 12;
/**
 * The same for a declarant/agent, stricter: a broker's clients are strangers to each other, and
 * agents chain networks together (on the demo, agents serving up to 8 clients joined 165
 * parties into one network; up to 4, the largest has 21). An agent of at most this many links them.
 */
export const MAX_AGENT_CLIENTS = 4;

/** Links from groups: every party of a group (same key) is linked to the group's first; a group larger than `maxGroup` links nothing. */
export function linksOfGroups(groups: Iterable<number[]>, reason: LinkReason, maxGroup = Infinity): PartyLink[] {
  const out: PartyLink[] = [];
  for (const g of groups) {
    const ids = [...new Set(g)].sort((x, y) => x - y);
    if (ids.length > maxGroup) continue;
    for (let i = 1; i < ids.length; i++) out.push({ a: ids[0]!, b: ids[i]!, reason });
  }
  return out;
}

export type Network = { members: number[]; reasons: LinkReason[] };

/**
 * The networks: connected components of two or more parties over `links`, each with its members
 * (ascending) and the kinds of link that joined it; sorted by size (largest first), then by the
 * smallest member. Only components touching `of` (when given: the listed parties) are returned.
 */
export function networksOf(links: PartyLink[], of?: Iterable<number>): Network[] {
  const uf = new UnionFind();
  for (const l of links) uf.union(l.a, l.b);
  const members = new Map<number, Set<number>>();
  const reasons = new Map<number, Set<LinkReason>>();
  for (const l of links) {
    const root = uf.find(l.a);
    const m = members.get(root) ?? new Set<number>();
    m.add(l.a).add(l.b);
    members.set(root, m);
    reasons.set(root, (reasons.get(root) ?? new Set<LinkReason>()).add(l.reason));
  }
  let roots = [...members.keys()];
  if (of) {
    const wanted = new Set<number>();
    for (const id of of) if (members.has(uf.find(id))) wanted.add(uf.find(id));
    roots = roots.filter((r) => wanted.has(r));
  }
  const order: LinkReason[] = ["identifier", "address", "agent"];
  return roots
    .map((r) => ({ members: [...members.get(r)!].sort((x, y) => x - y), reasons: order.filter((x) => reasons.get(r)!.has(x)) }))
    .filter((n) => n.members.length >= 2)
    .sort((x, y) => y.members.length - x.members.length || x.members[0]! - y.members[0]!);
}
