/**
 * A response with every non-integer number rounded to 1e-9: rates and paces are quotients
 * computed in different orders by the API and by the reference, equal to that precision.
 */
export function rounded<T>(value: T): T {
  if (typeof value === 'number') return (Number.isInteger(value) ? value : Math.round(value * 1e9) / 1e9) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => rounded(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rounded(v)])) as T;
  }
  return value;
}
