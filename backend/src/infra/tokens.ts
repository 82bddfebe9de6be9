/** Injection tokens of what the app is given at boot (see app.ts). */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** PostgreSQL connection string of the case records. */
export const DATABASE_URL = Symbol('DATABASE_URL');
/** Where the ETL's extract reads (a streaming replica, DATABASE_READ_URL); null: DATABASE_URL. */
export const DATABASE_READ_URL = Symbol('DATABASE_READ_URL');
/** The Prisma client (with soft delete). */
export const PRISMA = Symbol('PRISMA');
/** The ClickHouse warehouse (chDB or server). */
export const WAREHOUSE = Symbol('WAREHOUSE');
