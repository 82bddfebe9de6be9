import { Injectable } from '@nestjs/common';

/** Answers kept per warehouse generation; the oldest go first beyond this. */
const MAX_ENTRIES = 2_000;

/**
 * The kept answers, per warehouse generation (the dimensions object, which DimensionsService
 * replaces when an ETL run has written something). A failure is not kept.
 */
@Injectable()
export class ResponseCacheService {
  private readonly byGeneration = new WeakMap<object, Map<string, Promise<unknown>>>();

  /** The answer kept under `key`, or `compute`'s, kept from now on; `hit` says which. */
  answer(generation: object, key: string, compute: () => Promise<unknown>): { hit: boolean; answer: Promise<unknown> } {
    let entries = this.byGeneration.get(generation);
    if (!entries) {
      entries = new Map();
      this.byGeneration.set(generation, entries);
    }
    const kept = entries.get(key);
    if (kept) return { hit: true, answer: kept };
    const computed = compute();
    const map = entries;
    map.set(key, computed);
    computed.catch(() => {
      if (map.get(key) === computed) map.delete(key);
    });
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
    return { hit: false, answer: computed };
  }
}
