import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import { CaseRecordsController } from './case-records.controller';
import { CaseRecordsRepository } from './case-records.repository';
import { CaseRecordsService } from './case-records.service';
import { LedgerImportController } from './ledger-import.controller';
import { LedgerImportRepository } from './ledger-import.repository';
import { LedgerImportService } from './ledger-import.service';
import { RecordsController } from './records.controller';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';
import { RoundRules } from './round-rules';

/** Case-record writes (inspections, findings, tasks and their history) and the Excel ledger import. */
@Module({
  imports: [
    // uploads stay in memory, one file of at most MAX_UPLOAD_MB and a few small fields
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
      }),
    }),
  ],
  controllers: [RecordsController, LedgerImportController, CaseRecordsController],
  providers: [RecordsRepository, RecordsService, LedgerImportRepository, LedgerImportService, CaseRecordsRepository, CaseRecordsService, RoundRules],
  exports: [RecordsRepository],
})
export class RecordsModule {}
