// Kunming Customs' published figures (DESIGN.md, DOMAIN.md). The generator builds
// Kunming's cases to reproduce them exactly; the tests check them with SQL.
//
// What the sources count is not always right holders: the 2016–17 figure is "more than 90
// foreign-invested enterprises" and the Qingfeng figure "276 brands". The demo data stands
// each enterprise, and each brand, for one right holder, so `rightHolders` below holds those
// counts; the README says so where it lists them.

export type PublishedFigure = {
  label: string;
  from: string;
  to: string;
  campaign: string | null;
  cases: number;
  valueFen: number;
  pieces: { exactly?: number; over?: number; under?: number };
  rightHolders?: { exactly?: number; over?: number; allForeignInvested?: boolean };
  mostlyTrademark?: boolean;
};

export const KUNMING_DISTRICT = "8600";

export const PUBLISHED_FIGURES = {
  year2014: {
    label: "Kunming Customs, 2014",
    from: "2014-01-01",
    to: "2014-12-31",
    campaign: null,
    cases: 96,
    valueFen: 700_000_000,
    pieces: { exactly: 544_000 },
  },
  since2016: {
    label: "Kunming Customs since 2016 (QBPC meeting, 2017-06-07)",
    from: "2016-01-01",
    to: "2017-06-07",
    campaign: null,
    cases: 63,
    valueFen: 625_000_000,
    pieces: { over: 300_000, under: 400_000 },
    rightHolders: { over: 90, allForeignInvested: true }, // published: "more than 90 foreign-invested enterprises"
    mostlyTrademark: true,
  },
  qingfeng: {
    label: "Qingfeng campaign, Kunming Customs, 2015-2017",
    from: "2015-01-01",
    to: "2017-12-31",
    campaign: "qingfeng",
    cases: 214,
    valueFen: 1_472_000_000,
    pieces: { over: 630_000 },
    rightHolders: { exactly: 276 }, // published: 276 brands
  },
} satisfies Record<string, PublishedFigure>;
