import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import { DirectoryImportService } from './directory-import.service';
import { MasterdataController } from './masterdata.controller';
import { MasterdataRepository } from './masterdata.repository';
import { MasterdataService } from './masterdata.service';

/** 基础数据: regions, terms and rounds, the unit directory, the issue categories, their imports and the setup checklist. */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
      }),
    }),
  ],
  controllers: [MasterdataController],
  providers: [MasterdataRepository, MasterdataService, DirectoryImportService],
})
export class MasterdataModule {}
