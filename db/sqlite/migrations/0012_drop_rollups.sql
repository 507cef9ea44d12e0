-- The aggregate tables nothing reads any more: the aggregate store (db/aggregate), kept in
-- step by the change log of migration 0011, serves the dashboard, the facets, the totals and
-- the market tables, so the rollups (case_rollup, case_flow_rollup), the case_stats cube and
-- the covering index of their partial-year reads go, with the version mark of their rebuild.
DROP TABLE `case_flow_rollup`;--> statement-breakpoint
DROP TABLE `case_rollup`;--> statement-breakpoint
DROP TABLE `case_stats`;--> statement-breakpoint
DROP INDEX `cases_cover_idx`;--> statement-breakpoint
DELETE FROM `app_meta` WHERE `key` = 'rollup_version';
