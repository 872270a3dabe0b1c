import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';
import { itineraryKeys } from '../../../lib/query-keys';

export type Itinerary = Schemas['ItineraryView'];
export type Flight = Schemas['FlightView'];

/** A search: from, to, on a local date at the origin, for some passengers, maybe in a window. */
export type SearchParams = {
  origin: string;
  destination: string;
  /** `YYYY-MM-DD`. */
  date: string;
  passengers: number;
  /** `HH:MM`, local at the origin. */
  departureFrom?: string;
  departureUntil?: string;
};

/** `GET /itineraries`: the best trips (arrival × stops × price), highlighted, bookable or not. */
export async function getItineraries(params: SearchParams): Promise<Itinerary[]> {
  const body = await unwrap(
    api.GET('/api/v1/itineraries', {
      params: {
        query: {
          origin: params.origin,
          destination: params.destination,
          date: params.date,
          passengers: String(params.passengers),
          ...(params.departureFrom ? { departure_from: params.departureFrom } : {}),
          ...(params.departureUntil ? { departure_until: params.departureUntil } : {}),
        },
      },
    }),
  );
  return body.itineraries;
}

export const itinerariesQuery = (params: SearchParams) =>
  queryOptions({
    queryKey: itineraryKeys.search(params),
    queryFn: () => getItineraries(params),
    // Seats and airlines' status change; a search a minute old is asked again.
    staleTime: 60_000,
  });

/** The trips for `params`; idle while there is no search. */
export function useItineraries(params: SearchParams | null) {
  return useQuery({
    ...itinerariesQuery(params ?? { origin: '', destination: '', date: '', passengers: 1 }),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
}

/** A search read from the page's address (`?from=RBR&to=MCP&date=…&pax=1&after=05:00&before=07:00`). */
export function searchFromUrl(query: URLSearchParams): SearchParams | null {
  const origin = query.get('from');
  const destination = query.get('to');
  const date = query.get('date');
  if (!origin || !destination || !date) return null;
  const passengers = Number(query.get('pax') ?? '1');
  const departureFrom = query.get('after') ?? undefined;
  const departureUntil = query.get('before') ?? undefined;
  return {
    origin,
    destination,
    date,
    passengers: Number.isInteger(passengers) && passengers >= 1 && passengers <= 9 ? passengers : 1,
    ...(departureFrom ? { departureFrom } : {}),
    ...(departureUntil ? { departureUntil } : {}),
  };
}

/** The page address of a search. */
export function searchToUrl(params: SearchParams): URLSearchParams {
  const query = new URLSearchParams({
    from: params.origin,
    to: params.destination,
    date: params.date,
    pax: String(params.passengers),
  });
  if (params.departureFrom) query.set('after', params.departureFrom);
  if (params.departureUntil) query.set('before', params.departureUntil);
  return query;
}
