import { Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { FiltersInput } from '../common/filters';
import type { Dimensions } from './dimensions.repository';
import { DimensionsService } from './dimensions.service';
import { countyLimit, type Caller } from '../auth/principal';
import { limitToCounty, resolveScope, type Scope } from './scope';

export interface ResolvedScope {
  scope: Scope;
  dims: Dimensions;
  /**
   * No task event loaded lies after as-of, so each task's current state is its state as
   * of then: queries may read it instead of replaying the events.
   */
  current: boolean;
  /** Today in Asia/Shanghai, the day the scope was resolved against (the default as-of). */
  today: string;
}

/** Turns request filters into a Scope against the current dimensions and today's date, limited to the caller's county. */
@Injectable()
export class ScopeService {
  constructor(@Inject(DimensionsService) private readonly dimensions: DimensionsService) {}

  async resolve(auth: Caller, input: FiltersInput): Promise<ResolvedScope> {
    const dims = await this.dimensions.get();
    const county = countyLimit(auth);
    const today = shanghaiToday();
    const scope = resolveScope(county === null ? input : limitToCounty(input, county, dims), dims, today);
    const current = dims.maxEventDate !== null && scope.asOf >= dims.maxEventDate;
    return { scope, dims, current, today };
  }
}
