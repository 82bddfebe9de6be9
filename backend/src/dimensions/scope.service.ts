import { Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/prisma/src/calendar';
import type { FiltersInput } from '../common/filters';
import { DimensionsService } from './dimensions.service';
import { resolveScope, type Scope } from './scope';

/** Turns request filters into a Scope against the current dimensions and today's date. */
@Injectable()
export class ScopeService {
  constructor(@Inject(DimensionsService) private readonly dimensions: DimensionsService) {}

  async resolve(input: FiltersInput): Promise<Scope> {
    return resolveScope(input, await this.dimensions.get(), shanghaiToday());
  }
}
