import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ZodSerializerInterceptor, ZodValidationPipe } from 'nestjs-zod';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { InfraModule, type InfraDeps } from './infra/infra.module';
import { DimensionsModule } from './dimensions/dimensions.module';
import { HealthModule } from './health/health.module';
import { OptionsModule } from './options/options.module';
import { MetricsModule } from './metrics/metrics.module';
import { EtlModule } from './etl/etl.module';
import { RecordsModule } from './records/records.module';
import { DrillModule } from './drill/drill.module';
import { ExportsModule } from './exports/exports.module';
import { AuthModule } from './auth/auth.module';
import { AuditModule } from './audit/audit.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { MasterdataModule } from './masterdata/masterdata.module';
import { ClosureModule } from './closure/closure.module';
import { WarningsModule } from './warnings/warnings.module';
import { CluesModule } from './clues/clues.module';
import { ResponseCacheModule } from './response-cache/response-cache.module';
import { UnitProfileModule } from './unitprofile/unit-profile.module';

@Module({})
export class AppModule {
  static forRoot(deps: InfraDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfraModule.forRoot(deps),
        AuditModule,
        AuditLogModule,
        AuthModule,
        DimensionsModule,
        ResponseCacheModule,
        HealthModule,
        OptionsModule,
        MetricsModule,
        DrillModule,
        ExportsModule,
        EtlModule,
        RecordsModule,
        MasterdataModule,
        ClosureModule,
        WarningsModule,
        CluesModule,
        UnitProfileModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ZodSerializerInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
