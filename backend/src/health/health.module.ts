import { Module } from '@nestjs/common';
import { EtlModule } from '../etl/etl.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { WarehouseCheckRepository } from './warehouse-check.repository';

@Module({ imports: [EtlModule], controllers: [HealthController], providers: [HealthService, WarehouseCheckRepository] })
export class HealthModule {}
