import { Module } from '@nestjs/common';
import { DrillModule } from '../drill/drill.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { ReportedController } from './reported.controller';
import { ReportedRepository } from './reported.repository';
import { ReportedService } from './reported.service';
import { WorkbookPrebuilder } from './workbook-prebuild';

@Module({
  imports: [MetricsModule, DrillModule],
  controllers: [ExportsController, ReportedController],
  providers: [ExportsRepository, ExportsService, ReportedRepository, ReportedService, WorkbookPrebuilder],
})
export class ExportsModule {}
