/** The node's API called directly by tests: another buyer, or checking what the page did. */
import { ADMIN_TOKEN } from './network';

export type Json = Record<string, unknown>;

export async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
}

/** Registers `username` and logs in; the session token. */
export async function customer(base: string, username: string, password = 'uma-senha-segura'): Promise<string> {
  const registered = await call(base, 'POST', '/auth/register', { body: { username, password, name: `Teste ${username}` } });
  if (registered.status !== 201) throw new Error(`register ${username}: ${JSON.stringify(registered)}`);
  const login = await call(base, 'POST', '/auth/login', { body: { username, password } });
  return String(login.body.token);
}

/** Tomorrow's date in São Paulo (where the schedules' days begin), `YYYY-MM-DD`. */
export function tomorrow(): string {
  const now = new Date(Date.now() + 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(now);
}

/** A username no other test run used. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** An owner's record of one seat of its flight (`GET /admin/flights/{id}/segments`). */
export type OwnerRecord = { seat: string; state: string; passenger: string; ticket_number: string; seller: string; reference?: string | null; txn: string };

/** What the flight's owner (at `base`) records of the seats held or sold on it. */
export async function ownerRecords(base: string, flight: string): Promise<OwnerRecord[]> {
  const answer = await call(base, 'GET', `/admin/flights/${flight}/segments`, { token: ADMIN_TOKEN });
  if (answer.status !== 200) throw new Error(`segments of ${flight}: ${JSON.stringify(answer)}`);
  return answer.body.segments as OwnerRecord[];
}
