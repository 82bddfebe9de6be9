import { Injectable } from '@nestjs/common';
import { asOrdinaryWork } from '@xuncha/etl';
import { DimensionsRepository, type Dimensions } from './dimensions.repository';

/** How long dimensions are reused before the warehouse is asked whether they changed (other app instances may load). */
const MAX_AGE_MS = 5_000;

/**
 * The dimensions, cached: read once per ETL run that wrote something (the ETL module calls
 * `invalidate`; other instances' runs show in the warehouse's ETL generation, checked every
 * few seconds, a one-row read) and re-read every few seconds when the generation is not
 * known. Concurrent callers share one read.
 */
@Injectable()
export class DimensionsService {
  private cached?: { at: number; generation: string | null; value: Promise<Dimensions> };
  private checking?: Promise<Dimensions>;

  constructor(private readonly repository: DimensionsRepository) {}

  get(): Promise<Dimensions> {
    if (this.cached && Date.now() - this.cached.at <= MAX_AGE_MS) return this.cached.value;
    if (!this.checking) {
      // Others await it: not slow work, even when an uncached answer asked first.
      const checking = asOrdinaryWork(() => this.refresh());
      this.checking = checking;
      const done = () => {
        if (this.checking === checking) this.checking = undefined;
      };
      checking.then(done, done);
    }
    return this.checking;
  }

  /** The dimensions with the warehouse generation they were read at (null when unknown). */
  async withGeneration(): Promise<{ dimensions: Dimensions; generation: string | null }> {
    const dimensions = await this.get();
    const cached = this.cached;
    return { dimensions, generation: cached && (await cached.value) === dimensions ? cached.generation : null };
  }

  private async refresh(): Promise<Dimensions> {
    const now = Date.now();
    const generation = await this.repository.generation();
    const cached = this.cached;
    if (cached && generation !== null && cached.generation === generation) {
      cached.at = now;
      return cached.value;
    }
    const value = this.repository.load();
    const entry = { at: now, generation, value };
    this.cached = entry;
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }

  /**
   * This instance's ETL run moved the warehouse generation from `before` to `after` without
   * changing what the dimensions hold: they agree with `after` too (no re-read).
   */
  acknowledge(before: string | null, after: string | null): void {
    if (this.cached && before !== null && this.cached.generation === before) this.cached.generation = after;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
