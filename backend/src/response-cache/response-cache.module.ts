import { Global, Module } from '@nestjs/common';
import { ResponseCacheInterceptor } from './response-cache.interceptor';
import { ResponseCacheService } from './response-cache.service';

/**
 * The response cache of the read routes: one store for the whole app (the interceptor is
 * instantiated in each module that uses it; they all keep their answers here).
 */
@Global()
@Module({
  providers: [ResponseCacheService, ResponseCacheInterceptor],
  exports: [ResponseCacheService, ResponseCacheInterceptor],
})
export class ResponseCacheModule {}
