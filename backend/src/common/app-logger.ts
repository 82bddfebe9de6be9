import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's start-up chatter: one line per module, controller and route (≈60 lines). */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** An instant as ISO 8601 in Beijing time (UTC+8, no daylight saving): 2026-12-03T13:34:19.123+08:00. */
export function beijingIso(at: Date = new Date()): string {
  return `${new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}

/**
 * The app's console logger: times in Beijing time as ISO 8601 (text and JSON lines alike),
 * and without Nest's module and route-mapping lines at start.
 */
export class AppLogger extends ConsoleLogger {
  protected override getTimestamp(): string {
    return beijingIso();
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    if (logLevel === 'log' && QUIET_CONTEXTS.has(context)) return;
    super.printMessages(messages, context, logLevel, writeStreamType, errorStack);
  }

  /** One JSON object per line, its `timestamp` in Beijing time (Nest writes epoch milliseconds). */
  protected override printAsJson(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ): void {
    const line = JSON.stringify({ ...this.getJsonLogObject(message, options), timestamp: beijingIso() });
    process[options.writeStreamType ?? 'stdout'].write(`${line}\n`);
  }
}
