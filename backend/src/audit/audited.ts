import { SetMetadata } from '@nestjs/common';

/** The metadata key of @Audited. */
export const AUDIT_KEY = 'xuncha:audit';

/** Marks a route whose every call is written to the audit log under `action` (audit.interceptor.ts). */
export const Audited = (action: string) => SetMetadata(AUDIT_KEY, action);
