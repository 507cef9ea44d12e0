-- The change log of cases (db/aggregate) on PostgreSQL, with the contract of SQLite's
-- migration 0011 (see its header): every insert, update and delete of a case, and every
-- insert, update and delete of its right-holder links, appends the case's id to case_changes
-- from triggers; an update of a case logs only when a column the aggregates read changes;
-- an update that changes a row's case id logs the old id too; a bulk load pauses the log by
-- inserting the app_meta row 'case_changes' inside its own transaction (and appends one row
-- with case id 0 before it commits); every 10,000th row drops the rows 100,000 before it.
--
-- One difference a later cut must mind: seq comes from a sequence, so with several writers a
-- transaction may commit seq 11 before another commits seq 10; SQLite's one writer never does.
CREATE FUNCTION case_changes_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') THEN
		RETURN NULL;
	END IF;
	IF TG_TABLE_NAME = 'cases' THEN
		IF TG_OP = 'DELETE' THEN
			INSERT INTO case_changes (case_id) VALUES (OLD.id);
		ELSE
			INSERT INTO case_changes (case_id) VALUES (NEW.id);
			IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
				INSERT INTO case_changes (case_id) VALUES (OLD.id);
			END IF;
		END IF;
	ELSE
		IF TG_OP = 'DELETE' THEN
			INSERT INTO case_changes (case_id) VALUES (OLD.case_id);
		ELSE
			INSERT INTO case_changes (case_id) VALUES (NEW.case_id);
			IF TG_OP = 'UPDATE' AND OLD.case_id <> NEW.case_id THEN
				INSERT INTO case_changes (case_id) VALUES (OLD.case_id);
			END IF;
		END IF;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_changes_case_insert AFTER INSERT ON cases
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
-- Like SQLite's UPDATE OF: fires when an update assigns one of these columns.
CREATE TRIGGER case_changes_case_update AFTER UPDATE OF
	id, office_id, seized_on, infringement_type, goods_category, pieces, value_fen, direction, channel,
	transport, protection_mode, campaign_id, status, disposal, deleted_at ON cases
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
CREATE TRIGGER case_changes_case_delete AFTER DELETE ON cases
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
CREATE TRIGGER case_changes_link_insert AFTER INSERT ON case_right_holders
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
CREATE TRIGGER case_changes_link_update AFTER UPDATE ON case_right_holders
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
CREATE TRIGGER case_changes_link_delete AFTER DELETE ON case_right_holders
	FOR EACH ROW EXECUTE FUNCTION case_changes_log();
--> statement-breakpoint
CREATE FUNCTION case_changes_prune() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM case_changes WHERE seq <= NEW.seq - 100000;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_changes_prune AFTER INSERT ON case_changes
	FOR EACH ROW WHEN (NEW.seq % 10000 = 0) EXECUTE FUNCTION case_changes_prune();
