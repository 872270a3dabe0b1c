/**
 * The API mocked at the fetch level: the app's real client, types and error handling run; only
 * the network is replaced. Routes are `METHOD /path` with `:params`; each answers with a status
 * and JSON body (or a function of the request). Every call is recorded.
 */
import { vi } from 'vitest';

export type MockRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: Headers;
  body: unknown;
};

export type MockAnswer = { status?: number; body?: unknown };
type Handler = MockAnswer | ((request: MockRequest) => MockAnswer | Promise<MockAnswer>);

export type MockApi = {
  calls: MockRequest[];
  /** Replaces or adds a route. */
  on: (route: string, handler: Handler) => void;
  /** The calls to `route` (`METHOD /path` pattern). */
  callsTo: (route: string) => MockRequest[];
};

function matcher(route: string) {
  const [method, pattern = ''] = route.split(' ');
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return (request: { method: string; path: string }) => {
    if (request.method !== method) return null;
    const match = regex.exec(request.path);
    if (!match) return null;
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
  };
}

export function mockApi(routes: Record<string, Handler> = {}): MockApi {
  const table = new Map<string, Handler>(Object.entries(routes));
  const calls: MockRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url, 'http://localhost');
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const base = { method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
    for (const [route, handler] of table) {
      const params = matcher(route)(base);
      if (!params) continue;
      const call: MockRequest = { ...base, params };
      calls.push(call);
      const answer = typeof handler === 'function' ? await handler(call) : handler;
      const status = answer.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }
    calls.push({ ...base, params: {} });
    return new Response(JSON.stringify({ error: { code: 'not_found', message: `no mock for ${base.method} ${base.path}` } }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    on: (route, handler) => table.set(route, handler),
    callsTo: (route) => calls.filter((call) => matcher(route)(call) !== null),
  };
}

/** An API error answer. */
export function apiError(status: number, code: string, extra: Record<string, unknown> = {}): MockAnswer {
  return { status, body: { error: { code, message: `${code} (mock)`, ...extra } } };
}
