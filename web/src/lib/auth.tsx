/**
 * The session in React: who is logged in, and a guard for pages that need a customer. A page
 * behind `RequireAuth` sends a visitor to the login page, remembering where they were going;
 * if the session just expired, the login page says so.
 */
import { useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { paths } from '../config/paths';
import { session, type EndReason, type Session } from './session';

export function useSession(): { current: Session | null; ended: EndReason | null } {
  return useSyncExternalStore(session.subscribe, session.snapshot, session.snapshot);
}

/** What the login page is told when it was sent there. */
export type LoginState = { from?: string; reason?: EndReason };

export function RequireAuth({ children }: { children: ReactNode }) {
  const { current, ended } = useSession();
  const location = useLocation();
  if (!current) {
    const state: LoginState = {
      from: location.pathname + location.search,
      ...(ended ? { reason: ended } : {}),
    };
    return <Navigate to={paths.login} replace state={state} />;
  }
  return <>{children}</>;
}
