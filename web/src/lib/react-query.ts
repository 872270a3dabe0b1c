/**
 * How the app caches API answers: reference data (airports, airlines) for long, everything
 * else briefly; retries only what may succeed on a second try (the node unreachable, a 5xx),
 * never a 4xx, whose answer will not change.
 */
import { QueryClient, type DefaultOptions } from '@tanstack/react-query';

import { ApiError } from './api-client';

export const queryConfig: DefaultOptions = {
  queries: {
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    retry: (failures, error) =>
      failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
  },
};

export function makeQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: queryConfig });
}

/** Query keys whose data belongs to the logged-in customer: dropped when the session ends. */
export const privateQueryRoots: ReadonlySet<string> = new Set(['me', 'bookings']);
