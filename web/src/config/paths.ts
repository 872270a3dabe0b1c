/** The app's pages, in one place, so links and redirects agree. */
export const paths = {
  search: '/',
  login: '/login',
  register: '/register',
  book: '/book',
  trips: '/trips',
  trip: (reference: string) => `/trips/${encodeURIComponent(reference)}`,
  tripPattern: '/trips/:reference',
  network: '/network',
} as const;
