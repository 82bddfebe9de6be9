-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "region_level" AS ENUM ('CITY', 'MUNICIPAL', 'COUNTY', 'TOWNSHIP');

-- CreateEnum
CREATE TYPE "unit_category" AS ENUM ('PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER');

-- CreateEnum
CREATE TYPE "inspection_mode" AS ENUM ('ROUTINE', 'SPECIAL', 'MOBILE', 'REVISIT');

-- CreateEnum
CREATE TYPE "task_track" AS ENUM ('IMMEDIATE', 'DEADLINE', 'LONG_TERM');

-- CreateEnum
CREATE TYPE "task_status" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE');

-- CreateEnum
CREATE TYPE "task_event_type" AS ENUM ('CREATED', 'STATUS_CHANGE', 'EXTENSION', 'PROGRESS_NOTE', 'ESCALATION');

-- CreateEnum
CREATE TYPE "clue_recipient" AS ENUM ('DISCIPLINE', 'ORGANIZATION', 'OTHER');

-- CreateEnum
CREATE TYPE "clue_status" AS ENUM ('PENDING', 'IN_PROGRESS', 'CONCLUDED');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN');

-- CreateTable
CREATE TABLE "regions" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(12) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "level" "region_level" NOT NULL,
    "parent_id" INTEGER,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "regions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "terms" (
    "id" SERIAL NOT NULL,
    "committee_region_id" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "terms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_units" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(24) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "category" "unit_category" NOT NULL,
    "region_id" INTEGER NOT NULL,
    "committee_region_id" INTEGER NOT NULL,
    "parent_unit_id" INTEGER,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "org_units_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rounds" (
    "id" SERIAL NOT NULL,
    "term_id" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "rounds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inspections" (
    "id" SERIAL NOT NULL,
    "round_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "team" VARCHAR(64) NOT NULL,
    "mode" "inspection_mode" NOT NULL,
    "is_cross" BOOLEAN NOT NULL DEFAULT false,
    "is_elevated" BOOLEAN NOT NULL DEFAULT false,
    "stationed_from" DATE NOT NULL,
    "stationed_to" DATE,
    "feedback_date" DATE,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "inspections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issue_categories" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(8) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "level" INTEGER NOT NULL,
    "parent_id" INTEGER,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "issue_categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" BIGSERIAL NOT NULL,
    "inspection_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "category_id" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "is_immediate" BOOLEAN NOT NULL DEFAULT false,
    "is_key_concern" BOOLEAN NOT NULL DEFAULT false,
    "recurrence_of_id" BIGINT,
    "found_date" DATE NOT NULL,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rectification_tasks" (
    "id" BIGSERIAL NOT NULL,
    "finding_id" BIGINT NOT NULL,
    "measure" TEXT NOT NULL,
    "responsible_dept" VARCHAR(128) NOT NULL,
    "responsible_person" VARCHAR(64) NOT NULL,
    "track" "task_track" NOT NULL,
    "original_due_date" DATE,
    "current_due_date" DATE,
    "status" "task_status" NOT NULL DEFAULT 'NOT_STARTED',
    "closed_date" DATE,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "rectification_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_events" (
    "id" BIGSERIAL NOT NULL,
    "task_id" BIGINT NOT NULL,
    "type" "task_event_type" NOT NULL,
    "event_date" DATE NOT NULL,
    "from_status" "task_status",
    "to_status" "task_status",
    "new_due_date" DATE,
    "note" TEXT,
    "actor" VARCHAR(64) NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "task_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clues" (
    "id" SERIAL NOT NULL,
    "inspection_id" INTEGER NOT NULL,
    "handed_to" "clue_recipient" NOT NULL,
    "handed_date" DATE NOT NULL,
    "persons" INTEGER NOT NULL DEFAULT 1,
    "summary" TEXT NOT NULL,
    "disposal_status" "clue_status" NOT NULL DEFAULT 'PENDING',
    "concluded_date" DATE,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT NOT NULL DEFAULT 0,
    "change_xid" xid8,

    CONSTRAINT "clues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "display_name" VARCHAR(64) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role" NOT NULL,
    "region_id" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "deleted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER,
    "username" VARCHAR(64),
    "action" VARCHAR(64) NOT NULL,
    "target" VARCHAR(256),
    "detail" JSONB,
    "ip" VARCHAR(64),
    "success" BOOLEAN NOT NULL DEFAULT true,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "regions_code_key" ON "regions"("code");

-- CreateIndex
CREATE INDEX "regions_parent_id_idx" ON "regions"("parent_id");

-- CreateIndex
CREATE INDEX "regions_change_seq_idx" ON "regions"("change_seq");

-- CreateIndex
CREATE INDEX "terms_change_seq_idx" ON "terms"("change_seq");

-- CreateIndex
CREATE UNIQUE INDEX "terms_committee_region_id_ordinal_key" ON "terms"("committee_region_id", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "org_units_code_key" ON "org_units"("code");

-- CreateIndex
CREATE INDEX "org_units_region_id_category_idx" ON "org_units"("region_id", "category");

-- CreateIndex
CREATE INDEX "org_units_committee_region_id_idx" ON "org_units"("committee_region_id");

-- CreateIndex
CREATE INDEX "org_units_parent_unit_id_idx" ON "org_units"("parent_unit_id");

-- CreateIndex
CREATE INDEX "org_units_change_seq_idx" ON "org_units"("change_seq");

-- CreateIndex
CREATE INDEX "rounds_change_seq_idx" ON "rounds"("change_seq");

-- CreateIndex
CREATE UNIQUE INDEX "rounds_term_id_ordinal_key" ON "rounds"("term_id", "ordinal");

-- CreateIndex
CREATE INDEX "inspections_unit_id_stationed_from_idx" ON "inspections"("unit_id", "stationed_from");

-- CreateIndex
CREATE INDEX "inspections_round_id_idx" ON "inspections"("round_id");

-- CreateIndex
CREATE INDEX "inspections_change_seq_idx" ON "inspections"("change_seq");

-- CreateIndex
CREATE UNIQUE INDEX "issue_categories_code_key" ON "issue_categories"("code");

-- CreateIndex
CREATE INDEX "issue_categories_change_seq_idx" ON "issue_categories"("change_seq");

-- CreateIndex
CREATE INDEX "findings_inspection_id_idx" ON "findings"("inspection_id");

-- CreateIndex
CREATE INDEX "findings_unit_id_category_id_idx" ON "findings"("unit_id", "category_id");

-- CreateIndex
CREATE INDEX "findings_recurrence_of_id_idx" ON "findings"("recurrence_of_id");

-- CreateIndex
CREATE INDEX "findings_change_seq_idx" ON "findings"("change_seq");

-- CreateIndex
CREATE INDEX "rectification_tasks_finding_id_idx" ON "rectification_tasks"("finding_id");

-- CreateIndex
CREATE INDEX "rectification_tasks_status_current_due_date_idx" ON "rectification_tasks"("status", "current_due_date");

-- CreateIndex
CREATE INDEX "rectification_tasks_change_seq_idx" ON "rectification_tasks"("change_seq");

-- CreateIndex
CREATE INDEX "task_events_task_id_event_date_idx" ON "task_events"("task_id", "event_date");

-- CreateIndex
CREATE INDEX "task_events_change_seq_idx" ON "task_events"("change_seq");

-- CreateIndex
CREATE INDEX "clues_inspection_id_idx" ON "clues"("inspection_id");

-- CreateIndex
CREATE INDEX "clues_change_seq_idx" ON "clues"("change_seq");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE INDEX "audit_logs_at_idx" ON "audit_logs"("at");

-- CreateIndex
CREATE INDEX "audit_logs_user_id_at_idx" ON "audit_logs"("user_id", "at");

-- AddForeignKey
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "regions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "terms" ADD CONSTRAINT "terms_committee_region_id_fkey" FOREIGN KEY ("committee_region_id") REFERENCES "regions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_committee_region_id_fkey" FOREIGN KEY ("committee_region_id") REFERENCES "regions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_parent_unit_id_fkey" FOREIGN KEY ("parent_unit_id") REFERENCES "org_units"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_term_id_fkey" FOREIGN KEY ("term_id") REFERENCES "terms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issue_categories" ADD CONSTRAINT "issue_categories_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "issue_categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_inspection_id_fkey" FOREIGN KEY ("inspection_id") REFERENCES "inspections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "issue_categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_recurrence_of_id_fkey" FOREIGN KEY ("recurrence_of_id") REFERENCES "findings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rectification_tasks" ADD CONSTRAINT "rectification_tasks_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "findings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_events" ADD CONSTRAINT "task_events_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "rectification_tasks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clues" ADD CONSTRAINT "clues_inspection_id_fkey" FOREIGN KEY ("inspection_id") REFERENCES "inspections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
