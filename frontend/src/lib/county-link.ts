/**
 * A county user who opens a link made for another county (a regionId or roundId outside
 * their county) lands on their own county instead of a refused page: the region becomes
 * their county, a round of another committee is dropped. Undefined when the link is theirs.
 */
export type LinkQuery = Record<string, string | null | (string | null)[] | undefined>;

export function ownCountyQuery(query: LinkQuery, countyId: number, regions: ReadonlySet<number>, rounds: ReadonlySet<number>): LinkQuery | undefined {
  const fixed: LinkQuery = { ...query };
  let changed = false;
  const id = (value: LinkQuery[string]) => Number(Array.isArray(value) ? value[0] : value);
  if (query.regionId !== undefined && !regions.has(id(query.regionId))) {
    fixed.regionId = String(countyId);
    changed = true;
  }
  if (query.roundId !== undefined && !rounds.has(id(query.roundId))) {
    delete fixed.roundId;
    changed = true;
  }
  return changed ? fixed : undefined;
}
