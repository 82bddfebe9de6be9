import { Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { FiltersInput } from '../common/filters';
import type { Dimensions } from './dimensions.repository';
import { DimensionsService } from './dimensions.service';
import { currentCountyLimit } from '../auth/principal';
import { limitToCounty, resolveScope, type Scope } from './scope';

export interface ResolvedScope {
  scope: Scope;
  dims: Dimensions;
  /**
   * No task event loaded lies after as-of, so each task's current state is its state as
   * of then: queries may read it instead of replaying the events.
   */
  current: boolean;
  /**
   * Which metrics may read the current-state summary (fact_finding_summary) instead of the
   * facts, giving the same figures: `categories` when every finding loaded was found by
   * as-of, `all` (rectification, recurrence, drill-down figures) when every day loaded lies
   * on or before as-of and the tasks' current state is their state then. Neither with a
   * township filter (the summary is by county). `coverage`: coverage reads
   * fact_unit_coverage (each unit's latest inspection by mode) when every inspection loaded
   * lies on or before as-of, for the terms containing as-of, without a round filter.
   */
  summary: { categories: boolean; all: boolean; coverage: boolean };
}

/** Turns request filters into a Scope against the current dimensions and today's date. */
@Injectable()
export class ScopeService {
  constructor(@Inject(DimensionsService) private readonly dimensions: DimensionsService) {}

  async resolve(input: FiltersInput): Promise<ResolvedScope> {
    const dims = await this.dimensions.get();
    const county = currentCountyLimit();
    const scope = resolveScope(county === null ? input : limitToCounty(input, county, dims), dims, shanghaiToday());
    const current = dims.maxEventDate !== null && scope.asOf >= dims.maxEventDate;
    const usable = dims.summary !== null && scope.townshipId === undefined;
    return {
      scope,
      dims,
      current,
      summary: {
        categories: usable && scope.asOf >= dims.summary!.foundBy,
        all: usable && current && scope.asOf >= dims.summary!.allBy,
        // coverage from each unit's latest inspection by mode: every inspection loaded lies on
        // or before as-of, within each committee's term containing it; not by round
        coverage:
          dims.unitCoverageBy !== null && scope.asOf >= dims.unitCoverageBy && scope.roundId === undefined && input.term !== 'previous',
      },
    };
  }
}
