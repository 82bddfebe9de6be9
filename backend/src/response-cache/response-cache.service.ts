import { Injectable } from '@nestjs/common';
import type { RunChanges } from '@xuncha/etl';

/** Answers kept; the oldest go first beyond this. */
const MAX_ENTRIES = 2_000;

/** Which figures an answer shows: one county's (a dim_regions id) or the whole city's, as of a day. */
export interface AnswerScope {
  /** null: the city's, which every change reaches. */
  county: number | null;
  /** YYYY-MM-DD */
  asOf: string;
}

interface Entry {
  answer: Promise<unknown>;
  scope: AnswerScope;
}

/**
 * The kept answers of the read routes. An ETL run of this app drops only the answers it can
 * have changed (`applyRun`): those of a county it touched, or of the city, as of a day from
 * the earliest day its changes show (etl/src/run-changes.ts). A change of the warehouse this
 * app did not make (another instance's run, `observe`) drops everything. A failure is not kept.
 */
@Injectable()
export class ResponseCacheService {
  private readonly entries = new Map<string, Entry>();
  /** The warehouse generation the kept answers are known to agree with (null: unknown). */
  private generation: string | null = null;
  /** Without a generation to go by: the dimensions object the answers were computed with. */
  private dimensions?: object;

  /**
   * The warehouse as the reader now sees it: its generation (null when it has none) and its
   * dimensions. A generation later than the one the answers agree with, not announced by
   * `applyRun`, drops everything; an earlier one is an older view and changes nothing.
   */
  observe(generation: string | null, dimensions: object): void {
    if (generation === null) {
      if (this.dimensions !== dimensions) this.clear();
    } else if (this.generation === null || BigInt(generation) > BigInt(this.generation)) {
      if (this.generation !== null || this.entries.size > 0) this.clear();
      this.generation = generation;
    }
    this.dimensions = dimensions;
  }

  /** The answer kept under `key`, or `compute`'s, kept from now on; `hit` says which. */
  answer(key: string, scope: AnswerScope, compute: () => Promise<unknown>): { hit: boolean; answer: Promise<unknown> } {
    const kept = this.entries.get(key);
    if (kept) return { hit: true, answer: kept.answer };
    const computed = compute();
    const entry: Entry = { answer: computed, scope };
    this.entries.set(key, entry);
    computed.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return { hit: false, answer: computed };
  }

  /**
   * An ETL run of this app is done (or failed after loading some of it): drops the answers
   * its changes reach. Answers being computed are dropped alike (they may have read either side).
   */
  applyRun(changes: RunChanges): void {
    const generation = changes.generation;
    // Another writer moved the warehouse between what we knew and this run: drop everything.
    const unexplained = generation !== undefined && this.generation !== null && generation.before !== this.generation;
    if (changes.everything || unexplained) {
      this.clear();
    } else if (changes.counties.length > 0) {
      const counties = new Set(changes.counties);
      for (const [key, { scope }] of this.entries) {
        const county = scope.county === null || counties.has(scope.county);
        const day = changes.from === null || scope.asOf >= changes.from;
        if (county && day) this.entries.delete(key);
      }
    }
    if (generation?.after != null && (this.generation === null || BigInt(generation.after) > BigInt(this.generation))) this.generation = generation.after;
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private clear(): void {
    this.entries.clear();
  }
}
