-- The change log commits in seq order (issue 15, cut 2). seq comes from a sequence, and with
-- several writers a transaction could commit seq 11 while another still holds seq 10 open: a
-- store (db/aggregate/store.ts) that read "every row after my last seq" at that moment would
-- move past 10 and never load its case. So every statement that inserts into case_changes
-- first takes one transaction-scoped advisory lock (BEFORE … FOR EACH STATEMENT: it fires
-- before the statement's rows take their seq from the sequence). A transaction that logs
-- holds the lock until it has committed (or rolled back) and become visible; the next one
-- takes its seqs only after that, so seqs become visible in their order and the newest seq a
-- reader sees says every lower one is final. This serialises the transactions that write
-- cases from their first logged row to their commit, as SQLite's one writer does; reads never
-- wait for it. (Chosen over re-reading a window of seqs, which is right only while no writer
-- runs longer than the window, and over comparing xmin with pg_snapshot_xmin on every read.)
-- The app's writers log at their first statement (the case's own row), so none holds other
-- rows while it waits here; a transaction that did (rows locked, then a logged write) could
-- deadlock with the holder, and PostgreSQL would stop one of the two with an error, all of
-- it rolled back.
--
-- Reference data whose answers are kept (right holders' names and industries, offices,
-- campaigns) logs too, one row with case_id -1 per writing statement ("no case changed; the
-- reference data did"): max(seq) is then the change counter of every kept answer on every
-- server (db/postgres/change-counter.ts). A paused log (a bulk load) logs none of it.
CREATE FUNCTION case_changes_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7274496021);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_changes_in_order BEFORE INSERT ON case_changes
	FOR EACH STATEMENT EXECUTE FUNCTION case_changes_in_order();
--> statement-breakpoint
CREATE FUNCTION reference_changes_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') THEN
		INSERT INTO case_changes (case_id) VALUES (-1);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reference_changes_right_holders AFTER INSERT OR UPDATE OR DELETE ON right_holders
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changes_log();
--> statement-breakpoint
CREATE TRIGGER reference_changes_customs_offices AFTER INSERT OR UPDATE OR DELETE ON customs_offices
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changes_log();
--> statement-breakpoint
CREATE TRIGGER reference_changes_campaigns AFTER INSERT OR UPDATE OR DELETE ON campaigns
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changes_log();
