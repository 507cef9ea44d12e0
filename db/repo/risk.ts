import "server-only";
import { sql } from "drizzle-orm";
import { getEngine } from "../client";
import { readHotspots, type HotspotFlag, type HotspotRun } from "../hotspots";
import { channels, goodsCategories, ports, transports } from "../../lib/enums";
import { flagInFilter, type HotspotDimension } from "../../lib/hotspots";
import { countryName } from "../../lib/countries";
import type { Filters } from "../../lib/filters";
import { can, type SessionUser } from "../../lib/roles";

// The Risk page's reads (issue 18, item 3): the newest stored hot-spot run and its flags, each
// with its value's name in both languages. Staff only (readRisk): a member gets nothing here,
// not even an empty run — the functions refuse before reading.

export type NamedFlag = HotspotFlag & { name: { en: string; zh: string } };
export type RiskHotspots = { run: HotspotRun | null; flags: NamedFlag[] };

const ENUM_OF: Partial<Record<HotspotDimension, { labels: Record<string, { en: string; zh: string }> }>> = {
  category: goodsCategories as never, channel: channels as never, transport: transports as never, port: ports as never,
};

async function named(): Promise<RiskHotspots> {
  const e = getEngine();
  const { run, flags } = await readHotspots(e);
  const districtCodes = [...new Set(flags.filter((f) => f.dimension === "district").map((f) => f.value))];
  const holderIds = [...new Set(flags.filter((f) => f.dimension === "holder").map((f) => Number(f.value)))];
  const districts = new Map(
    (districtCodes.length
      ? await e.all<{ code: string; en: string; zh: string }>(sql`select code, name_en as en, name_zh as zh from ${e.t.customsOffices} where ${e.say.inList(sql`code`, districtCodes)}`)
      : []
    ).map((r) => [r.code, { en: r.en, zh: r.zh }]),
  );
  const holders = new Map(
    (holderIds.length
      ? await e.all<{ id: number | string; en: string; zh: string | null }>(sql`select id, name as en, name_zh as zh from ${e.t.rightHolders} where ${e.say.inList(sql`id`, holderIds)}`)
      : []
    ).map((r) => [String(r.id), { en: r.en, zh: r.zh ?? r.en }]),
  );
  return {
    run,
    flags: flags.map((f) => {
      const name =
        f.dimension === "district" ? districts.get(f.value)
        : f.dimension === "holder" ? holders.get(f.value)
        : f.dimension === "origin" ? { en: countryName(f.value, "en"), zh: countryName(f.value, "zh") }
        : ENUM_OF[f.dimension]?.labels[f.value];
      return { ...f, name: name ?? { en: f.value, zh: f.value } };
    }),
  };
}

/** The newest run and every flag (the Risk page). Refused for a user without readRisk. */
export async function riskHotspots(user: SessionUser): Promise<RiskHotspots> {
  if (!can(user.role, "readRisk")) throw new Error("The hot spots are for customs staff only.");
  return named();
}

/** The flags that fall within a dashboard filter (lib/hotspots.ts flagInFilter); nothing for a user without readRisk. */
export async function dashboardHotspots(user: SessionUser, filters: Filters): Promise<RiskHotspots | null> {
  if (!can(user.role, "readRisk")) return null;
  const all = await named();
  if (!all.run) return all;
  const month = all.run.evaluationMonth;
  return { run: all.run, flags: all.flags.filter((f) => flagInFilter(f, month, filters)) };
}
