/**
 * Everything the pages rely on: the query cache, translations, the airline's brand, and
 * dropping the customer's cached data when their session ends.
 */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import { useAbout } from '../api/get-about';
import { I18nProvider, type Locale } from '../lib/i18n';
import { makeQueryClient, privateQueryRoots } from '../lib/react-query';
import { session } from '../lib/session';
import { rememberBrand } from './brand';

function Brand() {
  const about = useAbout();
  useEffect(() => {
    if (about.data) rememberBrand(about.data);
  }, [about.data]);
  return null;
}

function usePrivateDataDroppedOnLogout(queryClient: QueryClient) {
  useEffect(
    () =>
      session.subscribe(() => {
        if (session.snapshot().current) return;
        queryClient.removeQueries({
          predicate: (query) => privateQueryRoots.has(String(query.queryKey[0])),
        });
      }),
    [queryClient],
  );
}

type Props = { children: ReactNode; queryClient?: QueryClient; locale?: Locale };

export function AppProvider({ children, queryClient: given, locale }: Props) {
  const [queryClient] = useState(() => given ?? makeQueryClient());
  usePrivateDataDroppedOnLogout(queryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial={locale}>
        <Brand />
        {children}
      </I18nProvider>
    </QueryClientProvider>
  );
}
