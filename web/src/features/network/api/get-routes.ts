import { useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';

export type Route = Schemas['RouteView'];

/** `GET /routes`: every route flown from now on, by airline (for the map). */
export async function getRoutes(): Promise<Route[]> {
  const body = await unwrap(api.GET('/api/v1/routes'));
  return body.routes;
}

export function useRoutes() {
  return useQuery({ queryKey: ['routes'], queryFn: getRoutes, staleTime: 5 * 60_000 });
}
