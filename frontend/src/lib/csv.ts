/** A CSV file (UTF-8 with BOM, so that Excel reads Chinese) from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) => {
    const text = textOf(value);
    // quote what needs it; a leading = + - @ is kept as text, never read as a formula
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** A file name from a title and the filters in use: `巡察列表_轮次-第一轮_2026-12-03.csv`. */
export function exportFileName(title: string, filters: Record<string, string | undefined>, day: string, extension: string): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}-${v}`.replace(/[\\/:*?"<>|\s]+/g, ''));
  return `${[title, ...parts, day].join('_')}.${extension}`;
}

/** Lets the browser save `content` as `name`. */
export function saveFile(content: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A value as the text of a cell or a query parameter: empty for none, a list joined by commas, JSON for an object. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join(',');
  return JSON.stringify(value);
}
