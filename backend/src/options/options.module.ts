import { Module } from '@nestjs/common';
import { OptionsController } from './options.controller';
import { OptionsService } from './options.service';

@Module({ controllers: [OptionsController], providers: [OptionsService] })
export class OptionsModule {}
