import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { asSlowWork } from '@xuncha/etl';
import { countyLimit, type SignedRequest } from '../auth/principal';
import type { AppConfig } from '../config/app-config';
import type { Dimensions } from '../dimensions/dimensions.repository';
import { DimensionsService } from '../dimensions/dimensions.service';
import { APP_CONFIG } from '../infra/tokens';
import { ResponseCacheService, type AnswerScope } from './response-cache.service';

/** The request's parameters in a fixed order, so that `a=1&b=2` and `b=2&a=1` share an answer. */
function canonicalQuery(query: Request['query']): string {
  return Object.keys(query)
    .sort()
    .map((key) => {
      const value = query[key];
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join('&');
}

/**
 * Which figures an answer shows: the county of the user's limit, else of the `regionId`
 * asked for (a township's county; the city's or an unknown region: the city), as of `asOf`
 * (default today). An ETL run drops the answers whose scope its changes reach.
 */
export function answerScope(query: Request['query'], countyLimit: number | null, dimensions: Dimensions, today: string): AnswerScope {
  const asOf = typeof query.asOf === 'string' && query.asOf !== '' ? query.asOf : today;
  if (countyLimit !== null) return { county: countyLimit, asOf };
  const regionId = typeof query.regionId === 'string' ? Number(query.regionId) : NaN;
  const region = Number.isInteger(regionId) ? dimensions.regions.find((r) => r.id === regionId) : undefined;
  if (!region || region.level === 'CITY') return { county: null, asOf };
  return { county: region.level === 'TOWNSHIP' ? region.countyId : region.id, asOf };
}

/**
 * Whether computing an answer is slow work (session-pool.ts), which waits behind the ETL and
 * the small reads and holds only part of the warehouse's connections: an answer as of an
 * earlier day reads each task's history (seconds of CPU at a million findings); as of today
 * the current-state tables answer, and the dashboard's shared answers stay quick to refill.
 */
export function slowAnswer(scope: AnswerScope, today: string): boolean {
  return scope.asOf < today;
}

/**
 * Keeps the answers of the read routes it decorates for as long as the warehouse holds the
 * same data for them (ResponseCacheService: an ETL run of this app drops what it changed,
 * another instance's run everything). The key is the path, the parameters, the user's
 * county limit and today's date (as-of defaults to it). Concurrent requests for the same
 * answer share one computation; a failure is not kept. RESPONSE_CACHE=off turns it off (the
 * benchmarks measure both).
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  constructor(
    @Inject(ResponseCacheService) private readonly store: ResponseCacheService,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (!this.config.responseCache) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<SignedRequest>();
    const response = http.getResponse<Response>();
    const { dimensions, generation } = await this.dimensions.withGeneration();
    this.store.observe(generation, dimensions);
    const today = shanghaiToday();
    // the AccessGuard, which runs first, admits none of the routes cached here without a session
    const county = request.principal ? countyLimit(request.principal) : null;
    const key = `${request.path}?${canonicalQuery(request.query)}|county=${county ?? ''}|today=${today}`;
    const scope = answerScope(request.query, county, dimensions, today);
    const compute = () => lastValueFrom(next.handle());
    const { hit, answer } = this.store.answer(key, scope, () => (slowAnswer(scope, today) ? asSlowWork(compute) : compute()));
    response.setHeader('X-Xuncha-Cache', hit ? 'hit' : 'miss');
    return from(answer);
  }
}
