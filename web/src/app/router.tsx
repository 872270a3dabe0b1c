/**
 * The pages. The search is the landing page and ships in the first load; every other page is
 * loaded when first visited. Pages that need a customer are behind `RequireAuth`.
 */
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';

import { Loading } from '../components/ui/loading';
import { paths } from '../config/paths';
import { RequireAuth } from '../lib/auth';
import { Layout } from './layout';
import { NotFoundRoute, RouteError } from './routes/not-found';
import { SearchRoute } from './routes/search';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    // Shown while a lazily loaded page is fetched on the first load.
    hydrateFallbackElement: <Loading />,
    children: [
      { path: paths.search, element: <SearchRoute /> },
      {
        path: paths.login,
        lazy: async () => ({ Component: (await import('./routes/auth')).LoginRoute }),
      },
      {
        path: paths.register,
        lazy: async () => ({ Component: (await import('./routes/auth')).RegisterRoute }),
      },
      {
        path: paths.book,
        lazy: async () => {
          const { BookRoute } = await import('./routes/book');
          return { element: <RequireAuth><BookRoute /></RequireAuth> };
        },
      },
      {
        path: paths.trips,
        lazy: async () => {
          const { TripsRoute } = await import('./routes/trips');
          return { element: <RequireAuth><TripsRoute /></RequireAuth> };
        },
      },
      {
        path: paths.tripPattern,
        lazy: async () => {
          const { TripRoute } = await import('./routes/trips');
          return { element: <RequireAuth><TripRoute /></RequireAuth> };
        },
      },
      {
        path: paths.network,
        lazy: async () => ({ Component: (await import('./routes/network')).NetworkRoute }),
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export function AppRouter() {
  return <RouterProvider router={createBrowserRouter(routes)} />;
}
