import { Global, Module } from '@nestjs/common';
import { DimensionsRepository } from './dimensions.repository';
import { DimensionsService } from './dimensions.service';
import { ScopeService } from './scope.service';

@Global()
@Module({
  providers: [DimensionsRepository, DimensionsService, ScopeService],
  exports: [DimensionsService, ScopeService],
})
export class DimensionsModule {}
