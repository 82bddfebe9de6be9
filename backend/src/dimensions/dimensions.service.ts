import { Injectable } from '@nestjs/common';
import { DimensionsRepository, type Dimensions } from './dimensions.repository';

/** How long dimensions are reused before they are read again (other app instances may load). */
const MAX_AGE_MS = 5_000;

/**
 * The dimensions, cached: read once per ETL run that wrote something (the ETL module calls
 * `invalidate`) and at most every few seconds otherwise. Concurrent callers share one read.
 */
@Injectable()
export class DimensionsService {
  private cached?: { at: number; value: Promise<Dimensions> };

  constructor(private readonly repository: DimensionsRepository) {}

  get(): Promise<Dimensions> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > MAX_AGE_MS) {
      const value = this.repository.load();
      this.cached = { at: now, value };
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
    }
    return this.cached.value;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
