/**
 * The query a chart element's drill sends: the page's filters narrowed to the element.
 *
 * An element keyed by a region or a category (a county's bar, a level-1 category's bar, a
 * heatmap cell) counts what lies in it *and* passes the page's filters. Where the page's
 * filter already lies inside the element (a township of that county, a level-2 category of
 * that level-1), the page's narrower filter is kept; where it lies outside, the element
 * counts nothing and there is nothing to open (`undefined`).
 */
export interface DrillParents {
  /** a region's parent (a township's county), undefined for a county or the city */
  region: (id: number) => number | undefined;
  /** a category's parent (a level-2 category's level-1), undefined for a level-1 */
  category: (id: number) => number | undefined;
}

type Query = { [key: string]: string | undefined };

/** The narrower of a page filter and an element's key, or null when they do not meet. */
function narrower(page: string | undefined, element: string, parentOf: (id: number) => number | undefined): string | null {
  if (page === undefined || page === '' || page === element) return element;
  let id: number | undefined = Number(page);
  while (id !== undefined) {
    if (String(id) === element) return page;
    id = parentOf(id);
  }
  // the element may lie inside the page's filter (a township bar under a county filter)
  let up: number | undefined = Number(element);
  while (up !== undefined) {
    if (String(up) === page) return element;
    up = parentOf(up);
  }
  return null;
}

export function drillQuery<F extends object, E extends Query>(filters: F, element: E, parents: DrillParents): (F & E) | undefined {
  const page = filters as Query;
  const query: Query = { ...page, ...element };
  for (const [key, parentOf] of [
    ['regionId', parents.region],
    ['categoryId', parents.category],
  ] as const) {
    const mine = element[key];
    if (mine === undefined) continue;
    const kept = narrower(page[key], mine, parentOf);
    if (kept === null) return undefined;
    query[key] = kept;
  }
  return query as F & E;
}
