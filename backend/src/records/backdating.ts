import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/http-exception.filter';

/** The day a task write takes effect, and whether (and why) it is recorded late (补录). */
export interface EffectiveDay {
  day: string;
  backdated: boolean;
  backdateReason: string | null;
}

const badField = (field: string, message: string) => new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);

/**
 * The effective day of a write (default today): never in the future. `field` names the
 * day's parameter in errors. The reason is checked by `requireReason` once the day has
 * passed the task's own checks, so that a day before the task's history is named first.
 */
export function effectiveDay(
  input: { effectiveDate?: string; backdateReason?: string },
  today: string,
  field = 'effectiveDate',
  given = input.effectiveDate,
): EffectiveDay {
  const day = given ?? today;
  if (day > today) throw badField(field, `生效日期不能晚于今天 must not be in the future (${day} > ${today})`);
  const backdated = day < today;
  return { day, backdated, backdateReason: backdated ? (input.backdateReason ?? null) : null };
}

/** A backdated write needs its reason. */
export function requireReason(effective: EffectiveDay): void {
  if (effective.backdated && !effective.backdateReason) {
    throw badField(
      'backdateReason',
      `补录（生效日期 ${effective.day} 早于今天）须填写补录原因 a backdated write (effective ${effective.day}, before today) needs a backdateReason`,
    );
  }
}
