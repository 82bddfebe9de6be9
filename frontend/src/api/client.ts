import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { i18n } from '../i18n';
import { localized } from '../lib/bilingual';

/** The dashboard's client for /api, typed from the backend's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '' });

export type Schemas = components['schemas'];

/** The JSON body of a path's method on success (200 or 201). */
export type ResponseOf<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;

/** The API's one error shape. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}

/**
 * A failed call: its status and the message the API gave. `message` and the details'
 * messages read in the chosen language ("中文 English" → the Chinese part in Chinese, the
 * English part in English, without the field name before it); `raw` is the message as sent.
 */
export class ApiError extends Error {
  readonly raw: string;
  readonly rawDetails?: ErrorBody['details'];
  constructor(
    readonly status: number,
    message: string,
    details?: ErrorBody['details'],
  ) {
    super(message);
    this.name = 'ApiError';
    this.raw = message;
    this.rawDetails = details;
    Object.defineProperty(this, 'message', { get: () => localized(this.raw, i18n.global.locale.value), enumerable: false, configurable: true });
  }

  /** The API's per-field problems, each message in the chosen language. */
  get details(): ErrorBody['details'] {
    return this.rawDetails?.map((d) => ({ field: d.field, message: localized(d.message, i18n.global.locale.value) }));
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).message === 'string';
}

/** An ApiError from a failed response and whatever body it had. */
export function toApiError(response: Response, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(response.status, body.message, body.details);
  return new ApiError(response.status, `HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * What the app does when a call finds the session gone (401) or the role refused (403):
 * set once at start (main.ts). Sign-in and the first "who am I" answer 401 as part of their
 * job, so they are not reported.
 */
export interface AccessHandlers {
  sessionLost(): void;
  forbidden(message: string): void;
}
let handlers: AccessHandlers | undefined;
const SIGN_IN_PATHS = new Set(['/api/auth/login', '/api/auth/me']);

export function onAccessProblem(next: AccessHandlers): void {
  handlers = next;
}

/** The ApiError of a failed response, reported to the access handlers when it is a 401 or 403. */
export function failure(response: Response, body: unknown): ApiError {
  const error = toApiError(response, body);
  const path = response.url ? new URL(response.url, 'http://localhost').pathname : '';
  if (error.status === 401 && !SIGN_IN_PATHS.has(path)) handlers?.sessionLost();
  else if (error.status === 403) handlers?.forbidden(error.message);
  return error;
}

/** Unwraps an openapi-fetch result: the body on success, an ApiError otherwise. */
export async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!result.response.ok) throw failure(result.response, result.error);
  return result.data as T;
}

/**
 * Posts a multipart form (an upload: openapi-fetch sends JSON only): the JSON answer on
 * success; otherwise an ApiError with the server's message and per-field details, passed
 * through the access handlers as every other call's (the one error path of every upload).
 */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', body: form });
  } catch (cause) {
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) throw failure(response, body);
  return body as T;
}
