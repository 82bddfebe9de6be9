import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_COVERAGE_MODES, INSPECTION_MODES, type InspectionMode } from '../common/filters';

/**
 * The app's configuration, parsed once at boot from the environment. A bad variable stops
 * the boot with its name (ConfigError); code receives this typed object, never process.env.
 * Where the engines live (DATABASE_URL, CLICKHOUSE_URL, DATA_DIR…) is read by the engine
 * starters in prisma/ and etl/, which validate their own variables.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** Seconds between scheduled incremental ETL runs; 0 turns the schedule off. */
  etlIntervalSeconds: number;
  /** Inspection modes that count for coverage (回头看 does not by default). */
  coverageModes: InspectionMode[];
  logFormat: 'json' | 'text';
  /** Largest upload (ledger import) in bytes. */
  maxUploadBytes: number;
  /** 佐证材料 (closure evidence): largest file in bytes, and most files per application. */
  evidenceMaxBytes: number;
  evidenceMaxFiles: number;
  /** Where the built dashboard is served from (absent: API only). */
  staticDir?: string;
  /** A session ends after this many hours without a request. */
  sessionTtlHours: number;
  /** The session cookie's Secure flag: auto = when the request came over HTTPS. */
  cookieSecure: 'auto' | 'on' | 'off';
  /** Express's `trust proxy`: false, a hop count, or addresses/subnets (loopback, 10.0.0.0/8…). */
  trustProxy: boolean | number | string;
  /** Embedded demo mode: the password of the demo accounts (default: DEFAULT_DEMO_PASSWORD). */
  demoPassword?: string;
  /** Server mode: the password of the `admin` account created on the first start. */
  adminPassword?: string;
  /** Keep the answers of the metric, option and list routes until the warehouse's data changes. */
  responseCache: boolean;
  /** Where made quarterly workbooks are kept until their figures change (null: not kept). */
  workbookStoreDir: string | null;
  /** Minutes between checks that the last ended quarter's workbooks are made ahead (0: never). */
  workbookPrebuildMinutes: number;
  /** How many ended quarters the prebuilder keeps made, the last one first. */
  workbookPrebuildQuarters: number;
  /** How long a shutdown waits for requests under way before it cuts their connections. */
  shutdownGraceSeconds: number;
  /** The early-warning ladder (预警): days before the due date a task turns yellow, then orange; overdue is red. */
  warningDays: { yellow: number; orange: number };
  /** Months after a clue's handover (线索移交) by which its disposal is to be fed back. */
  clueFeedbackMonths: number;
}

/** The demo accounts' password when DEMO_PASSWORD is unset; printed at start with a warning. */
export const DEFAULT_DEMO_PASSWORD = 'xuncha-demo';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`));

const password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

const envSchema = z.object({
  PORT: integer(1, 65535).default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  ETL_INTERVAL_SECONDS: integer(0, 86_400).default(1),
  COVERAGE_MODES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((mode) => mode.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(INSPECTION_MODES, `must list modes among ${INSPECTION_MODES.join(', ')}`)).min(1, 'must name at least one mode'))
    .default([...DEFAULT_COVERAGE_MODES]),
  LOG_FORMAT: z.enum(['json', 'text'], 'must be json or text').default('text'),
  MAX_UPLOAD_MB: integer(1, 512).default(20),
  EVIDENCE_MAX_MB: integer(1, 200).default(20),
  EVIDENCE_MAX_FILES: integer(1, 50).default(10),
  STATIC_DIR: z.string().optional(),
  SESSION_TTL_HOURS: integer(1, 24 * 30).default(12),
  COOKIE_SECURE: z.enum(['auto', 'on', 'off'], 'must be auto, on or off').default('auto'),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(off|on|\d{1,2}|[\w.:/, -]+)$/, 'must be off, on, a hop count, or addresses')
    .transform((value): boolean | number | string => (value === 'off' ? false : value === 'on' ? true : /^\d+$/.test(value) ? Number(value) : value))
    .default(false),
  RESPONSE_CACHE: z.enum(['on', 'off'], 'must be on or off').default('on'),
  WORKBOOK_STORE_DIR: z.string().trim().min(1, 'must not be empty').optional(),
  WORKBOOK_PREBUILD_MINUTES: integer(0, 7 * 24 * 60).default(10),
  WORKBOOK_PREBUILD_QUARTERS: integer(1, 40).default(4),
  SHUTDOWN_GRACE_SECONDS: integer(1, 600).default(10),
  WARNING_YELLOW_DAYS: integer(1, 365).default(20),
  WARNING_ORANGE_DAYS: integer(0, 365).default(10),
  CLUE_FEEDBACK_MONTHS: integer(1, 36).default(3),
  DEMO_PASSWORD: password.optional(),
  ADMIN_PASSWORD: password.optional(),
});

/** Parses the environment; empty variables count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.keys(envSchema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const got = /PASSWORD/.test(variable) ? '' : ` (got "${env[variable] ?? ''}")`;
    throw new ConfigError(variable, `${issue.message}${got}`);
  }
  const v = parsed.data;
  if (v.WARNING_ORANGE_DAYS >= v.WARNING_YELLOW_DAYS) {
    throw new ConfigError('WARNING_ORANGE_DAYS', `must be fewer days than WARNING_YELLOW_DAYS (${v.WARNING_YELLOW_DAYS}) (got "${v.WARNING_ORANGE_DAYS}")`);
  }
  return {
    port: v.PORT,
    host: v.HOST,
    etlIntervalSeconds: v.ETL_INTERVAL_SECONDS,
    coverageModes: [...new Set(v.COVERAGE_MODES)],
    logFormat: v.LOG_FORMAT,
    maxUploadBytes: v.MAX_UPLOAD_MB * 1024 * 1024,
    evidenceMaxBytes: v.EVIDENCE_MAX_MB * 1024 * 1024,
    evidenceMaxFiles: v.EVIDENCE_MAX_FILES,
    staticDir: v.STATIC_DIR,
    sessionTtlHours: v.SESSION_TTL_HOURS,
    cookieSecure: v.COOKIE_SECURE,
    trustProxy: v.TRUST_PROXY,
    demoPassword: v.DEMO_PASSWORD,
    adminPassword: v.ADMIN_PASSWORD,
    responseCache: v.RESPONSE_CACHE === 'on',
    workbookStoreDir: v.WORKBOOK_STORE_DIR === 'off' ? null : path.resolve(v.WORKBOOK_STORE_DIR ?? path.join(env.DATA_DIR || 'data', 'workbooks')),
    workbookPrebuildMinutes: v.WORKBOOK_PREBUILD_MINUTES,
    workbookPrebuildQuarters: v.WORKBOOK_PREBUILD_QUARTERS,
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    warningDays: { yellow: v.WARNING_YELLOW_DAYS, orange: v.WARNING_ORANGE_DAYS },
    clueFeedbackMonths: v.CLUE_FEEDBACK_MONTHS,
  };
}
