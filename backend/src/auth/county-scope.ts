import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/http-exception.filter';
import { CountyScopeRepository, type RecordKind } from './county-scope.repository';
import { countyLimit, type Caller } from './principal';

export type { RecordKind } from './county-scope.repository';

/**
 * The county limit of a COUNTY_STAFF user applied to case records in PostgreSQL (writes and
 * details; the warehouse's reads are limited through ScopeService). A record of another
 * county is answered exactly as one that does not exist, so its existence does not leak.
 * Read from PostgreSQL, so writes keep working while the warehouse is down.
 */
@Injectable()
export class CountyScope {
  constructor(@Inject(CountyScopeRepository) private readonly repository: CountyScopeRepository) {}

  /** The county the caller is limited to, or null. */
  limit(auth: Caller): number | null {
    return countyLimit(auth);
  }

  /** Of the given records, those whose unit lies in the caller's county (all of them without a limit). */
  async allowed(auth: Caller, kind: RecordKind, ids: readonly (number | bigint)[]): Promise<Set<string>> {
    const county = this.limit(auth);
    if (county === null || ids.length === 0) return new Set(ids.map(String));
    return this.repository.inCounty(kind, ids, county);
  }

  /** Throws `notFound` when the record lies outside the caller's county. */
  async check(auth: Caller, kind: RecordKind, id: number | bigint, notFound: () => Error): Promise<void> {
    if (this.limit(auth) === null) return;
    if (!(await this.allowed(auth, kind, [id])).has(String(id))) throw notFound();
  }

  /** A 404 in the words the records use for a missing record. */
  static notFound(what: string, id: number | bigint): () => AppError {
    return () => new AppError(HttpStatus.NOT_FOUND, `${what}不存在或已删除 ${id} does not exist or was deleted`);
  }
}
