import { Module } from '@nestjs/common';
import { DrillController } from './drill.controller';
import { DrillRepository } from './drill.repository';
import { DrillService } from './drill.service';

@Module({ controllers: [DrillController], providers: [DrillRepository, DrillService], exports: [DrillService] })
export class DrillModule {}
