import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import { RecordsModule } from '../records/records.module';
import { ClosureController } from './closure.controller';
import { ClosureRepository } from './closure.repository';
import { ClosureService } from './closure.service';

/** 销号审核 with evidence files (佐证材料) kept in PostgreSQL. */
@Module({
  imports: [
    RecordsModule,
    // evidence stays in memory until checked and written: at most EVIDENCE_MAX_FILES files of EVIDENCE_MAX_MB each
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.evidenceMaxBytes, files: config.evidenceMaxFiles, fields: 10, fieldSize: 64 * 1024, parts: config.evidenceMaxFiles + 10 },
      }),
    }),
  ],
  controllers: [ClosureController],
  providers: [ClosureRepository, ClosureService],
})
export class ClosureModule {}
