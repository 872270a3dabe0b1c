import { useMutation } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';
import { session } from '../../../lib/session';

export type LoginInput = Schemas['LoginBody'];

/** `POST /auth/login`: a session token, or 401 `invalid_credentials`. */
export async function login(input: LoginInput): Promise<Schemas['LoginView']> {
  return unwrap(api.POST('/api/v1/auth/login', { body: input }));
}

/** Logs in and starts the session. */
export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (view, input) =>
      session.start({ token: view.token, expiresAt: view.expires_at, username: input.username }),
  });
}
