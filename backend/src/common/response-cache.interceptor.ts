import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { currentCountyLimit } from '../auth/principal';
import type { AppConfig } from '../config/app-config';
import { DimensionsService } from '../dimensions/dimensions.service';
import { APP_CONFIG } from '../infra/tokens';

/** Answers kept per warehouse generation; the oldest go first beyond this. */
const MAX_ENTRIES = 2_000;

/** The request's parameters in a fixed order, so that `a=1&b=2` and `b=2&a=1` share an answer. */
function canonicalQuery(query: Request['query']): string {
  return Object.keys(query)
    .sort()
    .map((key) => `${key}=${String(query[key])}`)
    .join('&');
}

/**
 * Keeps the answers of the read routes it decorates for as long as the warehouse holds the
 * same data: the cache belongs to the dimensions object, which DimensionsService replaces
 * when an ETL run has written something (here or, seen through the warehouse, in another
 * instance). The key is the path, the parameters, the user's county limit and today's date
 * (as-of defaults to it). Concurrent requests for the same answer share one computation; a
 * failure is not kept. RESPONSE_CACHE=off turns it off (the benchmarks measure both).
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly byGeneration = new WeakMap<object, Map<string, Promise<unknown>>>();

  constructor(
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (!this.config.responseCache) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const generation = await this.dimensions.get();
    let entries = this.byGeneration.get(generation);
    if (!entries) {
      entries = new Map();
      this.byGeneration.set(generation, entries);
    }
    const key = `${request.path}?${canonicalQuery(request.query)}|county=${currentCountyLimit() ?? ''}|today=${shanghaiToday()}`;
    let answer = entries.get(key);
    response.setHeader('X-Xuncha-Cache', answer ? 'hit' : 'miss');
    if (!answer) {
      const computed = lastValueFrom(next.handle());
      const kept = entries;
      kept.set(key, computed);
      computed.catch(() => kept.delete(key));
      if (kept.size > MAX_ENTRIES) kept.delete(kept.keys().next().value as string);
      answer = computed;
    }
    return from(answer);
  }
}
