-- DropIndex
DROP INDEX "reported_quarters_year_quarter_region_id_key";

-- AlterTable
ALTER TABLE "reported_quarters" ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(6),
ADD COLUMN     "withdrawn_by" VARCHAR(64),
ADD COLUMN     "withdrawn_reason" VARCHAR(500),
ADD COLUMN     "withdrawn_seq" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "reported_quarters_year_quarter_region_id_withdrawn_seq_key" ON "reported_quarters"("year", "quarter", "region_id", "withdrawn_seq");
