-- CreateEnum
CREATE TYPE "closure_request_status" AS ENUM ('PENDING', 'APPROVED', 'RETURNED');

-- CreateTable
CREATE TABLE "closure_requests" (
    "id" BIGSERIAL NOT NULL,
    "task_id" BIGINT NOT NULL,
    "explanation" TEXT NOT NULL,
    "applicant" VARCHAR(64) NOT NULL,
    "request_date" DATE NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "closure_request_status" NOT NULL DEFAULT 'PENDING',
    "reviewer" VARCHAR(64),
    "review_note" TEXT,
    "reviewed_at" TIMESTAMPTZ(6),

    CONSTRAINT "closure_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "closure_evidence" (
    "id" BIGSERIAL NOT NULL,
    "request_id" BIGINT NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "content" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "closure_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "closure_requests_task_id_idx" ON "closure_requests"("task_id");

-- CreateIndex
CREATE INDEX "closure_requests_status_requested_at_idx" ON "closure_requests"("status", "requested_at");

-- CreateIndex
CREATE INDEX "closure_evidence_request_id_idx" ON "closure_evidence"("request_id");

-- AddForeignKey
ALTER TABLE "closure_evidence" ADD CONSTRAINT "closure_evidence_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "closure_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
