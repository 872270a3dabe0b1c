import { queryOptions, useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../lib/api-client';

export type About = Schemas['AboutView'];

/** `GET /about`: which airline this node is (the app wears its name and colour). */
export async function getAbout(): Promise<About> {
  return unwrap(api.GET('/api/v1/about'));
}

export const aboutQuery = queryOptions({
  queryKey: ['about'],
  queryFn: getAbout,
  staleTime: Infinity,
});

export function useAbout() {
  return useQuery(aboutQuery);
}
