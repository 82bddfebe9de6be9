-- AlterTable
ALTER TABLE "org_units" ADD COLUMN     "merged_into_id" INTEGER;

-- AddForeignKey
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "org_units"("id") ON DELETE SET NULL ON UPDATE CASCADE;
