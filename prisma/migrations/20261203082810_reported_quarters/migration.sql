-- CreateTable
CREATE TABLE "reported_quarters" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,
    "reported_by" VARCHAR(64) NOT NULL,
    "reported_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "figures" JSONB NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "reported_quarters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reported_quarters_year_quarter_region_id_key" ON "reported_quarters"("year", "quarter", "region_id");
