/** A field the API named in a 400's `details`, and what it said. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The API's per-field problems by the form's field names: the first message for each field
 * of `fields` (a nested path such as `password.0` counts for `password`); problems of other
 * fields are left to the caller's general message.
 */
export function fieldErrors<F extends string>(details: readonly FieldProblem[] | undefined, fields: readonly F[]): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const { field, message } of details ?? []) {
    const name = fields.find((f) => field === f || field.startsWith(`${f}.`));
    if (name !== undefined && errors[name] === undefined) errors[name] = message;
  }
  return errors;
}

/** A 429's wait in seconds (details[0] = { field: 'retryAfter', message: seconds }), or undefined. */
export function retryAfterSeconds(details: readonly FieldProblem[] | undefined): number | undefined {
  const value = Number(details?.find((d) => d.field === 'retryAfter')?.message);
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

/** A wait as whole minutes when it is a minute or more (rounded up), else as seconds. */
export function waitParts(seconds: number): { unit: 'minutes' | 'seconds'; n: number } {
  return seconds >= 60 ? { unit: 'minutes', n: Math.ceil(seconds / 60) } : { unit: 'seconds', n: Math.max(1, Math.ceil(seconds)) };
}
