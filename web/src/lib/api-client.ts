/**
 * The one client of the node's API: typed by the generated OpenAPI types (`api-schema.d.ts`),
 * the session's bearer token added to every call, and every failure turned into an `ApiError`
 * carrying the API's stable error code (`{"error": {"code", "message", …}}`).
 *
 * A 401 to a call that carried a token means the session is over: the client ends it (reason
 * `expired`) and the app takes the customer to the login page with a message.
 */
import createClient, { type Middleware } from 'openapi-fetch';

import { env } from '../config/env';
import type { components, paths } from './api-schema';
import { session } from './session';

/** The API's JSON shapes, by their OpenAPI names (`Schemas['BookingView']`). */
export type Schemas = components['schemas'];

/** A failed API call: the HTTP status (0 when the node could not be reached) and the code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra fields of the error body, such as `flight` or `airline`. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** A string detail of the error (`flight`, `airline`, `field`), if present. */
  detail(name: string): string | undefined {
    const value = this.details[name];
    return typeof value === 'string' ? value : undefined;
  }
}

/** Reads an error body; anything else becomes a code made from the status. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: Record<string, unknown> } | null | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error;
    return new ApiError(status, code, typeof message === 'string' ? message : code, details);
  }
  return new ApiError(status, `http_${status}`, `the server answered ${status}`);
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => null);
      const code = toApiError(401, body).code;
      if (code === 'session_expired' || code === 'unauthenticated') session.end('expired');
    }
    return response;
  },
};

/**
 * The typed client. `fetch` is looked up at each call (not captured once) so that tests can
 * replace it.
 */
export const api = createClient<paths>({
  // Absolute, so that requests are valid outside a browser too (tests).
  baseUrl: env.apiBase || globalThis.location?.origin || '',
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(bearer);

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * The body of a successful call, or throws an `ApiError` (status 0, `network_error`, when the
 * node could not be reached at all).
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
