/**
 * Query keys shared between features: a purchase (booking feature) and My trips (trips
 * feature) read and write the same cached bookings, and a purchase drops the search's cached
 * results, without importing each other.
 */
export const bookingKeys = {
  all: ['bookings'] as const,
  list: () => ['bookings', 'list'] as const,
  one: (reference: string) => ['bookings', 'one', reference] as const,
};

/**
 * Search results. A purchase changes what they say — seats left, an airline found offline —
 * so a purchase that ends, however it ends, drops them.
 */
export const itineraryKeys = {
  all: ['itineraries'] as const,
  search: <Params>(params: Params) => ['itineraries', params] as const,
};
