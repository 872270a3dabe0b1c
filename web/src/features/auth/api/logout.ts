import { useMutation } from '@tanstack/react-query';

import { api, unwrap } from '../../../lib/api-client';
import { session } from '../../../lib/session';

/** `POST /auth/logout`: ends the session at the node (204). */
export async function logout(): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/logout'));
}

/** Logs out; the session ends here even if the node could not be told. */
export function useLogout() {
  return useMutation({
    mutationFn: logout,
    onSettled: () => session.end('logged_out'),
  });
}
