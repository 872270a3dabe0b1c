/**
 * The customer's session: the bearer token the node gave at login, kept in localStorage so a
 * reload keeps the customer logged in. One store for the whole app; React reads it through
 * `useSession` (lib/auth.tsx), the API client through `session.token()`.
 *
 * When the node answers 401 to a call that carried the token, the session is over
 * (expired after 30 idle minutes, or revoked); the API client ends it with reason `expired`,
 * and the app sends the customer to the login page with a message.
 */

export type Session = {
  token: string;
  expiresAt: string;
  username: string;
};

/** Why the last session ended: the customer logged out, or the node refused the token. */
export type EndReason = 'logged_out' | 'expired';

const STORAGE_KEY = 'passcom.session';

type State = { current: Session | null; ended: EndReason | null };

function read(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || typeof parsed.username !== 'string') return null;
    return { token: parsed.token, expiresAt: String(parsed.expiresAt ?? ''), username: parsed.username };
  } catch {
    return null;
  }
}

function write(value: Session | null) {
  try {
    if (value) localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private browsing): the session lives in memory for this page.
  }
}

let state: State = { current: read(), ended: null };
const listeners = new Set<() => void>();

function set(next: State) {
  state = next;
  listeners.forEach((listener) => listener());
}

export const session = {
  /** The current state; a new object whenever it changes (for useSyncExternalStore). */
  snapshot: (): State => state,
  token: (): string | null => state.current?.token ?? null,
  start(value: Session) {
    write(value);
    set({ current: value, ended: null });
  },
  end(reason: EndReason) {
    if (!state.current) return;
    write(null);
    set({ current: null, ended: reason });
  },
  /** Forgets why the last session ended (the message was shown). */
  acknowledge() {
    if (state.ended) set({ ...state, ended: null });
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Reads storage again (another tab logged in or out; tests). */
  reload() {
    const current = read();
    if (current?.token !== state.current?.token) set({ current, ended: null });
  },
};

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) session.reload();
  });
}
