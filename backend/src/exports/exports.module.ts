import { Module } from '@nestjs/common';
import { DrillModule } from '../drill/drill.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { WorkbookPrebuilder } from './workbook-prebuild';

@Module({
  imports: [MetricsModule, DrillModule],
  controllers: [ExportsController],
  providers: [ExportsRepository, ExportsService, WorkbookPrebuilder],
})
export class ExportsModule {}
