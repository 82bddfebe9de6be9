import { Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { INSPECTION_MODES, UNIT_CATEGORIES } from '../common/filters';
import { MODE_LABELS, UNIT_CATEGORY_LABELS } from '../common/labels';
import { DimensionsService } from '../dimensions/dimensions.service';
import type { Dimensions } from '../dimensions/dimensions.repository';
import { countyLimit, type Principal } from '../auth/principal';
import { committeeTerms, countyDimensions } from '../dimensions/scope';
import type { OptionsResponse } from './dto/options.dto';

/** The values the filter bar offers, from the warehouse's dimensions. */
@Injectable()
export class OptionsService {
  constructor(@Inject(DimensionsService) private readonly dimensions: DimensionsService) {}

  async options(auth: Principal): Promise<OptionsResponse> {
    const dims = await this.dimensions.get();
    const county = countyLimit(auth);
    return buildOptions(county === null ? dims : countyDimensions(dims, county), shanghaiToday());
  }
}

export function buildOptions(dims: Dimensions, today: string): OptionsResponse {
  const terms = (['current', 'previous'] as const).flatMap((value) => {
    const chosen = committeeTerms(dims.terms, today, value);
    if (chosen.length === 0) return [];
    const startDate = chosen.map((t) => t.startDate).sort()[0];
    const endDate = chosen
      .map((t) => t.endDate)
      .sort()
      .reverse()[0];
    const years = `${startDate.slice(0, 4)}—${endDate.slice(0, 4)}`;
    return [{ value, label: `${value === 'current' ? '本届' : '上届'}（${years}）`, startDate, endDate }];
  });
  const termCommittee = new Map(dims.terms.map((t) => [t.id, t.committeeRegionId]));
  const node = (r: Dimensions['regions'][number]) => ({ id: r.id, code: r.code, name: r.name, level: r.level });
  const children = (parentId: number) => dims.regions.filter((r) => r.parentId === parentId);
  return {
    today,
    terms,
    rounds: dims.rounds
      .filter((r) => termCommittee.has(r.termId))
      .map((r) => ({ id: r.id, name: r.name, termId: r.termId, committeeRegionId: termCommittee.get(r.termId)!, year: r.year, startDate: r.startDate }))
      .sort((a, b) => a.committeeRegionId - b.committeeRegionId || (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.id - b.id)),
    regions: dims.regions
      .filter((r) => r.level === 'CITY')
      .map((city) => ({
        ...node(city),
        children: children(city.id).map((county) => ({ ...node(county), children: children(county.id).map(node) })),
      })),
    unitCategories: UNIT_CATEGORIES.map((value) => ({ value, label: UNIT_CATEGORY_LABELS[value] })),
    categories: dims.categories
      .filter((c) => c.level === 1)
      .map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        children: dims.categories.filter((k) => k.parentId === c.id).map((k) => ({ id: k.id, code: k.code, name: k.name })),
      })),
    modes: INSPECTION_MODES.map((value) => ({ value, label: MODE_LABELS[value] })),
  };
}
