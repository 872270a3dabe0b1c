import { useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';
import { useSession } from '../../../lib/auth';

export type Me = Schemas['MeView'];

/** `GET /me`: the logged-in customer. */
export async function getMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/me'));
}

/** The logged-in customer, when there is a session. */
export function useMe() {
  const { current } = useSession();
  return useQuery({
    queryKey: ['me', current?.username],
    queryFn: getMe,
    enabled: current !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
