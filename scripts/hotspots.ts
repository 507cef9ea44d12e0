// npm run hotspots [-- --runs N]
// Refreshes the hot spots (issue 18, item 3; db/hotspots.ts) of the database at DATABASE_URL
// once now and keeps the run, as the servers' periodic job does; prints how long the aggregate
// store's first load took, then each refresh, beside the full-scan floor (SELECT SUM(pieces)
// FROM cases) measured in the same run, and the flags.
import { caseStore } from "../db/aggregate/store";
import { fullScanFloorMs, refreshHotspots } from "../db/hotspots";
import { closeEngine, migrateEngine, openEngine } from "../db/open";

const USAGE = "usage: npm run hotspots [-- --runs N]   (N from 1 to 20, default 1)";

async function main(argv: string[]): Promise<number> {
  let runs = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (arg === "--runs" && /^\d+$/.test(argv[i + 1] ?? "") && Number(argv[i + 1]) >= 1 && Number(argv[i + 1]) <= 20) runs = Number(argv[++i]);
    else {
      console.error(`hotspots: unexpected argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  await migrateEngine(process.env.DATABASE_URL);
  const e = openEngine(process.env.DATABASE_URL, { server: true });
  try {
    let t0 = performance.now();
    const store = await caseStore(e);
    console.log(`aggregate store loaded: ${store.n.toLocaleString("en-US")} rows in ${(performance.now() - t0).toFixed(0)} ms`);
    const floor = await fullScanFloorMs(e);
    for (let r = 0; r < runs; r++) {
      t0 = performance.now();
      const { run, flags } = await refreshHotspots(e);
      const ms = performance.now() - t0;
      console.log(`refresh ${r + 1}: ${ms.toFixed(0)} ms (${(ms / floor).toFixed(2)} × the full-scan floor of ${floor.toFixed(0)} ms); evaluation month ${run.evaluationMonth || "—"}, ${run.seriesCount} series evaluated, ${run.flagCount} flagged`);
      if (r === runs - 1) for (const f of flags) console.log(`  ${f.dimension} ${f.value}: ${f.observed} against ${f.expected.toFixed(1)} expected, q ${f.q.toPrecision(2)}`);
    }
    return 0;
  } finally {
    await closeEngine(e);
  }
}

process.exitCode = await main(process.argv.slice(2));
