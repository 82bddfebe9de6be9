import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { UnitProfileController } from './unit-profile.controller';
import { UnitProfileRepository } from './unit-profile.repository';
import { UnitProfileService } from './unit-profile.service';

@Module({ imports: [MetricsModule], controllers: [UnitProfileController], providers: [UnitProfileRepository, UnitProfileService] })
export class UnitProfileModule {}
