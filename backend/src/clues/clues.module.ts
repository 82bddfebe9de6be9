import { Module } from '@nestjs/common';
import { CluesController } from './clues.controller';
import { CluesRepository } from './clues.repository';
import { CluesService } from './clues.service';

@Module({ controllers: [CluesController], providers: [CluesRepository, CluesService] })
export class CluesModule {}
