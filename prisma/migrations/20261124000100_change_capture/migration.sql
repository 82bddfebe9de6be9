-- Change capture for the ETL (DESIGN.md, "Change capture and the warehouse").
-- Every case-record row carries change_seq, drawn from one sequence on every insert and
-- update, and change_xid, the id of the transaction that wrote it. The extract reads rows
-- in change_seq order and keeps as its watermark the oldest transaction still running
-- when it read, so a transaction that commits late is picked up on the next run.
-- Written by hand: Prisma's schema language has no triggers.

CREATE SEQUENCE "change_capture_seq" AS bigint;

CREATE FUNCTION "capture_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := nextval('change_capture_seq');
  NEW.change_xid := pg_current_xact_id();
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "regions_capture_change" BEFORE INSERT OR UPDATE ON "regions"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "terms_capture_change" BEFORE INSERT OR UPDATE ON "terms"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "org_units_capture_change" BEFORE INSERT OR UPDATE ON "org_units"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "rounds_capture_change" BEFORE INSERT OR UPDATE ON "rounds"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "inspections_capture_change" BEFORE INSERT OR UPDATE ON "inspections"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "issue_categories_capture_change" BEFORE INSERT OR UPDATE ON "issue_categories"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "findings_capture_change" BEFORE INSERT OR UPDATE ON "findings"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "rectification_tasks_capture_change" BEFORE INSERT OR UPDATE ON "rectification_tasks"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "task_events_capture_change" BEFORE INSERT OR UPDATE ON "task_events"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
CREATE TRIGGER "clues_capture_change" BEFORE INSERT OR UPDATE ON "clues"
  FOR EACH ROW EXECUTE FUNCTION "capture_change"();
