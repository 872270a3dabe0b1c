/**
 * Query keys shared between features: a purchase (booking feature) and My trips (trips
 * feature) read and write the same cached bookings, without importing each other.
 */
export const bookingKeys = {
  all: ['bookings'] as const,
  list: () => ['bookings', 'list'] as const,
  one: (reference: string) => ['bookings', 'one', reference] as const,
};
