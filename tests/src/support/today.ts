import { pinShanghaiToday, shanghaiToday } from '@xuncha/shared';

/**
 * Today in Asia/Shanghai, pinned for the rest of this test file: the app started in-process
 * by the file answers the same day for its default as-of, so a run that crosses Shanghai
 * midnight cannot fail. Call once at the top of a test file.
 */
export function pinToday(): string {
  const day = shanghaiToday();
  pinShanghaiToday(day);
  return day;
}
