import { Module } from '@nestjs/common';
import { EtlController } from './etl.controller';
import { EtlRepository } from './etl.repository';
import { EtlService } from './etl.service';

@Module({
  controllers: [EtlController],
  providers: [EtlRepository, EtlService],
  exports: [EtlService],
})
export class EtlModule {}
