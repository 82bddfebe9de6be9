/**
 * Fixed plot margins (px) of the charts whose bars are clicked to drill: the grid does not
 * move with its labels (outerBoundsMode 'none'), so a bar's position is known from the
 * chart's box alone. The browser tests use the same numbers to click a county's bar.
 */
export const BAND_GRID = { left: 88, right: 100, top: 36, bottom: 28 } as const;

/** Centre of band `index` of `count` on a category y-axis drawn top to bottom (inverse). */
export function bandCenterY(box: { y: number; height: number }, index: number, count: number): number {
  const plot = box.height - BAND_GRID.top - BAND_GRID.bottom;
  return box.y + BAND_GRID.top + (plot / count) * (index + 0.5);
}

/** Fixed plot margins of the column chart of aging buckets (clicked to list the tasks of a bucket). */
export const COLUMN_GRID = { left: 48, right: 16, top: 28, bottom: 28 } as const;

/** Centre of column `index` of `count` on a category x-axis. */
export function columnCenterX(box: { x: number; width: number }, index: number, count: number): number {
  const plot = box.width - COLUMN_GRID.left - COLUMN_GRID.right;
  return box.x + COLUMN_GRID.left + (plot / count) * (index + 0.5);
}
