-- AlterTable
ALTER TABLE "etl_state" ADD COLUMN     "full_load_reason" TEXT,
ADD COLUMN     "full_load_requested_at" TIMESTAMPTZ(6);
