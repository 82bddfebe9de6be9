import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { CaseRecordsRepository } from './case-records.repository';

/** A 400 naming one field, in the error filter's shape. */
export function badField(field: string, message: string, status: HttpStatus = HttpStatus.BAD_REQUEST): AppError {
  return new AppError(status, `${field}: ${message}`, [{ field, message }]);
}

/**
 * Where an inspection may be placed: in a round that exists, of the writer's own committee
 * when the writer is limited to a county (a county office works in its 县(区)委's rounds, not
 * in another county's or the city's: 403), and stationed (进驻) on a day within the round's
 * start..end. Only the stationing's first day is held to the round: the demo data and real
 * rounds end while the last teams are still stationed (a round's end is its last day of
 * 进驻 starts), so the end of the stationing may lie after it.
 */
@Injectable()
export class RoundRules {
  constructor(
    @Inject(CaseRecordsRepository) private readonly repository: CaseRecordsRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  async check(auth: Principal, roundId: number, stationedFrom: string): Promise<void> {
    const round = await this.repository.round(roundId);
    if (!round) throw badField('roundId', `轮次不存在或已删除 round ${roundId} does not exist or was deleted`);
    const county = this.county.limit(auth);
    if (county !== null && round.committee_region_id !== county) {
      throw badField(
        'roundId',
        `轮次 ${round.name} 不属于本县（区）委，不能在其中录入巡察 round ${roundId} is not a round of your county's committee`,
        HttpStatus.FORBIDDEN,
      );
    }
    if (stationedFrom < round.start || stationedFrom > round.end) {
      throw badField(
        'stationedFrom',
        `进驻日期须在该轮次的起止日期（${round.start} 至 ${round.end}）之内 must lie within the round's dates (${round.start} to ${round.end}), not ${stationedFrom}`,
      );
    }
  }
}
