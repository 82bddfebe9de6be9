-- AlterTable
ALTER TABLE "task_events" ADD COLUMN     "backdate_reason" TEXT,
ADD COLUMN     "backdated" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ledger_imports" (
    "id" SERIAL NOT NULL,
    "file_hash" CHAR(64) NOT NULL,
    "file_name" VARCHAR(256) NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "rows" INTEGER NOT NULL,
    "inspections_created" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_imports_file_hash_created_at_idx" ON "ledger_imports"("file_hash", "created_at");
