-- CreateEnum
CREATE TYPE "etl_run_status" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- DropIndex
DROP INDEX "clues_change_seq_idx";

-- DropIndex
DROP INDEX "findings_change_seq_idx";

-- DropIndex
DROP INDEX "inspections_change_seq_idx";

-- DropIndex
DROP INDEX "issue_categories_change_seq_idx";

-- DropIndex
DROP INDEX "org_units_change_seq_idx";

-- DropIndex
DROP INDEX "rectification_tasks_change_seq_idx";

-- DropIndex
DROP INDEX "regions_change_seq_idx";

-- DropIndex
DROP INDEX "rounds_change_seq_idx";

-- DropIndex
DROP INDEX "task_events_change_seq_idx";

-- DropIndex
DROP INDEX "terms_change_seq_idx";

-- CreateTable
CREATE TABLE "etl_runs" (
    "id" SERIAL NOT NULL,
    "mode" VARCHAR(16) NOT NULL,
    "status" "etl_run_status" NOT NULL DEFAULT 'RUNNING',
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "watermark_from" BIGINT NOT NULL,
    "watermark_to" BIGINT,
    "rows_read" BIGINT NOT NULL DEFAULT 0,
    "rows_written" BIGINT NOT NULL DEFAULT 0,
    "rows_rejected" BIGINT NOT NULL DEFAULT 0,
    "stats" JSONB,
    "error" TEXT,
    "trigger" VARCHAR(16) NOT NULL DEFAULT 'schedule',

    CONSTRAINT "etl_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "etl_rejects" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "table_name" VARCHAR(64) NOT NULL,
    "record_id" VARCHAR(64) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "etl_rejects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "etl_state" (
    "id" VARCHAR(32) NOT NULL,
    "watermark" BIGINT NOT NULL,
    "last_run_id" INTEGER,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "etl_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "etl_runs_started_at_idx" ON "etl_runs"("started_at");

-- CreateIndex
CREATE INDEX "etl_rejects_run_id_idx" ON "etl_rejects"("run_id");

-- CreateIndex
CREATE INDEX "etl_rejects_table_name_record_id_idx" ON "etl_rejects"("table_name", "record_id");

-- CreateIndex
CREATE INDEX "clues_change_xid_idx" ON "clues"("change_xid");

-- CreateIndex
CREATE INDEX "findings_change_xid_idx" ON "findings"("change_xid");

-- CreateIndex
CREATE INDEX "inspections_change_xid_idx" ON "inspections"("change_xid");

-- CreateIndex
CREATE INDEX "issue_categories_change_xid_idx" ON "issue_categories"("change_xid");

-- CreateIndex
CREATE INDEX "org_units_change_xid_idx" ON "org_units"("change_xid");

-- CreateIndex
CREATE INDEX "rectification_tasks_change_xid_idx" ON "rectification_tasks"("change_xid");

-- CreateIndex
CREATE INDEX "regions_change_xid_idx" ON "regions"("change_xid");

-- CreateIndex
CREATE INDEX "rounds_change_xid_idx" ON "rounds"("change_xid");

-- CreateIndex
CREATE INDEX "task_events_change_xid_idx" ON "task_events"("change_xid");

-- CreateIndex
CREATE INDEX "terms_change_xid_idx" ON "terms"("change_xid");

-- AddForeignKey
ALTER TABLE "etl_rejects" ADD CONSTRAINT "etl_rejects_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "etl_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
