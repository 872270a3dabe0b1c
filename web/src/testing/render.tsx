/** Rendering components and whole pages for tests, with the app's providers. */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';

import { AppProvider } from '../app/provider';
import { routes } from '../app/router';
import { makeQueryClient } from '../lib/react-query';
import { session } from '../lib/session';

function testQueryClient() {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retry: false } });
  return client;
}

/** `ui` at `path`, inside the providers and a router. */
export function renderWithProviders(ui: ReactElement, path = '/') {
  const router = createMemoryRouter([{ path: '*', element: ui }], { initialEntries: [path] });
  return { router, ...render(<AppProvider queryClient={testQueryClient()} locale="pt-BR"><RouterProvider router={router} /></AppProvider>) };
}

/** The whole app at `path`. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return { router, ...render(<AppProvider queryClient={testQueryClient()} locale="pt-BR"><RouterProvider router={router} /></AppProvider>) };
}

/** Starts a session as the API would have after a login. */
export function logIn(username = 'anaferreira') {
  session.start({ token: `token-of-${username}`, expiresAt: '2099-01-01T00:00:00Z', username });
}
