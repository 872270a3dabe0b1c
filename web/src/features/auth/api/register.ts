import { useMutation } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';
import { session } from '../../../lib/session';
import { login } from './login';

export type RegisterInput = Schemas['RegisterBody'];

/** `POST /auth/register`: the new account, or 409 `username_taken`, 422 for a bad field. */
export async function register(input: RegisterInput): Promise<Schemas['CustomerView']> {
  return unwrap(api.POST('/api/v1/auth/register', { body: input }));
}

/** Makes the account, then logs in with it. */
export function useRegister() {
  return useMutation({
    mutationFn: async (input: RegisterInput) => {
      await register(input);
      const view = await login({ username: input.username, password: input.password });
      session.start({ token: view.token, expiresAt: view.expires_at, username: input.username });
    },
  });
}
