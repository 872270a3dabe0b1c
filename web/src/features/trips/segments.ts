import type { Booking } from '../../api/get-booking';

type Segment = Booking['segments'][number];

/** A flight of a booking with its passengers' segments. */
export type BookedFlight = {
  flight: string;
  /** `RU1001` of `RU1001-2026-12-01`. */
  number: string;
  airline: string;
  origin: string;
  destination: string;
  departure: string;
  arrival: string;
  segments: Segment[];
};

/** The number (`BO1001`) of the flight with id `BO1001-2026-12-01`. */
export function flightNumberOf(id: string): string {
  return id.split('-')[0] ?? id;
}

/** The booking's segments grouped by flight, in travel order. */
export function bookedFlights(booking: Booking): BookedFlight[] {
  const flights = new Map<string, BookedFlight>();
  for (const segment of booking.segments) {
    const flight = flights.get(segment.flight) ?? {
      flight: segment.flight,
      number: flightNumberOf(segment.flight),
      airline: segment.airline,
      origin: segment.origin,
      destination: segment.destination,
      departure: segment.departure,
      arrival: segment.arrival,
      segments: [],
    };
    flight.segments.push(segment);
    flights.set(segment.flight, flight);
  }
  return [...flights.values()].sort((a, b) => Date.parse(a.departure) - Date.parse(b.departure));
}
