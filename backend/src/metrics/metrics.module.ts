import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { QuarterStateService } from './quarter-state.service';

@Module({
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, QuarterStateService],
  exports: [MetricsService, QuarterStateService],
})
export class MetricsModule {}
