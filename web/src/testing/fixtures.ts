/** API answers for component tests, shaped by the generated types so they cannot drift. */
import type { Schemas } from '../lib/api-client';

type Airport = Schemas['AirportView'];
type Airline = Schemas['AirlineView'];
type Flight = Schemas['FlightView'];
type Itinerary = Schemas['ItineraryView'];
type SeatMap = Schemas['SeatMapView'];
type Booking = Schemas['BookingView'];

export const DATE = '2026-12-01';

const airport = (code: string, city: string, state: string, latitude: number, longitude: number, timezone: string): Airport => ({
  code,
  city,
  state,
  name: `Aeroporto de ${city}`,
  country: 'Brasil',
  latitude,
  longitude,
  timezone,
});

export const airports: Airport[] = [
  airport('MCP', 'Macapá', 'AP', 0.0389, -51.0664, 'America/Belem'),
  airport('MAO', 'Manaus', 'AM', -3.1019, -60.025, 'America/Manaus'),
  airport('MCZ', 'Maceió', 'AL', -9.6658, -35.7353, 'America/Maceio'),
  airport('RBR', 'Rio Branco', 'AC', -9.9747, -67.8081, 'America/Rio_Branco'),
  airport('GRU', 'São Paulo', 'SP', -23.4356, -46.4731, 'America/Sao_Paulo'),
];

export const airlines: Airline[] = [
  { id: 'boreal', name: 'Boreal', designator: 'BO', colour: '#1565c0', status: 'online' },
  { id: 'giro', name: 'Giro', designator: 'GI', colour: '#2e7d32', status: 'online' },
  { id: 'rumos', name: 'Rumos', designator: 'RU', colour: '#c62828', status: 'online' },
];

export const about: Schemas['AboutView'] = { airline: airlines[2]!, version: '0.1.0' };

export function flight(id: string, origin: string, destination: string, departure: string, arrival: string, price: number, extra: Partial<Flight> = {}): Flight {
  const designator = id.slice(0, 2);
  const airline = airlines.find((a) => a.designator === designator)?.id ?? 'rumos';
  return {
    id,
    flight_number: id.split('-')[0] ?? id,
    airline,
    origin,
    destination,
    departure,
    arrival,
    duration_minutes: Math.round((Date.parse(arrival) - Date.parse(departure)) / 60_000),
    arrival_day_offset: 0,
    price,
    seats_available: 180,
    capacity: 180,
    status: 'scheduled',
    version: 1,
    owner_online: true,
    ...extra,
  };
}

export const chain: Flight[] = [
  flight(`GI1001-${DATE}`, 'RBR', 'MCZ', `${DATE}T06:00:00-05:00`, `${DATE}T12:55:00-03:00`, 32_000),
  flight(`BO1001-${DATE}`, 'MCZ', 'MAO', `${DATE}T14:30:00-03:00`, `${DATE}T17:30:00-04:00`, 28_000),
  flight(`RU1001-${DATE}`, 'MAO', 'MCP', `${DATE}T19:00:00-04:00`, `${DATE}T21:50:00-03:00`, 35_000),
];

export function itinerary(legs: Flight[], extra: Partial<Itinerary> = {}): Itinerary {
  const first = legs[0]!;
  const last = legs[legs.length - 1]!;
  return {
    legs,
    departure: first.departure,
    arrival: last.arrival,
    duration_minutes: Math.round((Date.parse(last.arrival) - Date.parse(first.departure)) / 60_000),
    arrival_day_offset: 0,
    price: legs.reduce((sum, leg) => sum + leg.price, 0),
    stops: legs.length - 1,
    highlights: [],
    bookable: true,
    offline_airlines: [],
    ...extra,
  };
}

/** A small cabin (rows × ABCD) with `taken` seats. */
export function seatMap(flightId: string, taken: string[] = [], rows = 4): SeatMap {
  const letters = 'ABCD';
  const seats = Array.from({ length: rows }, (_, r) => [...letters].map((l) => `${r + 1}${l}`)).flat();
  return {
    flight: flightId,
    rows,
    letters,
    seats: seats.map((seat) => ({ seat, available: !taken.includes(seat) })),
    seats_available: seats.length - taken.length,
  };
}

/**
 * A booking of `legs` for `passengers`, as the API shows it in `status`: a `pending` or `failed`
 * one has no segments yet (the airlines have not sold anything); a failed one says why.
 */
export function booking(
  reference: string,
  legs: Flight[],
  passengers: string[],
  status = 'confirmed',
  failure: Booking['failure'] = status === 'failed' ? { code: 'seat_unavailable', message: 'seat_unavailable (mock)' } : undefined,
): Booking {
  let serial = 0;
  const sold = status !== 'pending' && status !== 'failed';
  const history = [{ at: '2026-11-26T12:00:00Z', event: 'pending', detail: 'purchase started; asking the airlines to hold the seats' }];
  if (status !== 'pending') history.push({ at: '2026-11-26T12:00:01Z', event: status === 'failed' ? 'purchase_failed' : status, detail: 'mock' });
  return {
    reference,
    status,
    passengers: passengers.map((name) => ({ name })),
    segments: sold
      ? legs.flatMap((leg, l) =>
          passengers.map((passenger, p) => ({
            flight: leg.id,
            airline: leg.airline,
            origin: leg.origin,
            destination: leg.destination,
            departure: leg.departure,
            arrival: leg.arrival,
            passenger,
            seat: `${l + 1}${'ABCD'[p]}`,
            ticket_number: `77100000000${String(++serial).padStart(2, '0')}`,
            price: leg.price,
            status,
          })),
        )
      : [],
    total_price: legs.reduce((sum, leg) => sum + leg.price, 0) * passengers.length,
    currency: 'BRL',
    created_at: '2026-11-26T12:00:00Z',
    history,
    ...(failure ? { failure } : {}),
  };
}

/** The answers every page needs. */
export const referenceRoutes = {
  'GET /api/v1/about': { body: about },
  'GET /api/v1/airports': { body: { airports } },
  'GET /api/v1/airlines': { body: { airlines } },
  'GET /api/v1/routes': { body: { routes: [] } },
};
