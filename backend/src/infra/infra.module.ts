import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, type Db } from '@xuncha/prisma';
import type { Warehouse } from '@xuncha/etl';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, DATABASE_READ_URL, DATABASE_URL, PRISMA, WAREHOUSE } from './tokens';

export interface InfraDeps {
  config: AppConfig;
  databaseUrl: string;
  /** Where the ETL's extract reads: a streaming replica of databaseUrl (DATABASE_READ_URL). */
  databaseReadUrl?: string;
  /** Owned by the caller (opened before the app, closed after it). */
  warehouse: Warehouse;
}

/** The engines and configuration every feature module reads, provided once, globally. */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  static forRoot(deps: InfraDeps): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: DATABASE_URL, useValue: deps.databaseUrl },
      { provide: DATABASE_READ_URL, useValue: deps.databaseReadUrl ?? null }, // null: Nest ignores an undefined useValue
      { provide: WAREHOUSE, useValue: deps.warehouse },
      { provide: PRISMA, useFactory: () => createPrismaClient(deps.databaseUrl) },
    ];
    return { module: InfraModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
