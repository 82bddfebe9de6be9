-- AlterTable
ALTER TABLE "org_units" ADD COLUMN     "leader_in_charge" VARCHAR(64),
ADD COLUMN     "principal_leader" VARCHAR(64);
