import { Module } from '@nestjs/common';
import { DrillModule } from '../drill/drill.module';
import { WarningsController } from './warnings.controller';
import { WarningsRepository } from './warnings.repository';
import { WarningsService } from './warnings.service';

@Module({ imports: [DrillModule], controllers: [WarningsController], providers: [WarningsRepository, WarningsService] })
export class WarningsModule {}
