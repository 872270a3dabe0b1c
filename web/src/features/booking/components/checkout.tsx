/**
 * Buying a trip: passengers' names, a seat per passenger on each flight (chosen on the seat
 * map, or "choose for me"), the total, and the purchase — with its progress (followed while
 * the airlines decide), and, when it bought nothing, why and what to do next.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { useAirlines } from '../../../api/get-airlines';
import { TripMap } from '../../../components/map/trip-map';
import { AirlineBadge } from '../../../components/ui/airline-badge';
import { ErrorMessage } from '../../../components/ui/error-message';
import { TextField } from '../../../components/ui/field';
import { Loading } from '../../../components/ui/loading';
import { LocalTime } from '../../../components/ui/local-time';
import { Notice } from '../../../components/ui/notice';
import { ApiError } from '../../../lib/api-client';
import { daysBetween, formatDate, formatDuration, formatList, formatMoney } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { boughtNothing, newIdempotencyKey, useCreateBooking, type BookingRequest, type Purchase } from '../api/create-booking';
import { useFlights, type Flight } from '../api/get-flight';
import { seatMapKey, useSeatMaps, type SeatMap as SeatMapView } from '../api/get-seat-map';
import { chooseSeats, isFree } from '../seats';
import { PurchaseProblem } from './purchase-problem';
import { SeatMap } from './seat-map';

type Props = {
  flightIds: readonly string[];
  passengers: number;
  /** The customer's own name, proposed for the first passenger. */
  defaultName?: string;
  /** Where "search for another trip" goes: the results the customer came from. */
  searchHref: string;
  onBooked: (purchase: Purchase) => void;
};

type LegChoice = { auto: boolean; seats: (string | null)[]; active: number };

export function Checkout({ flightIds, passengers, defaultName, searchHref, onBooked }: Props) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const flights = useFlights(flightIds);
  const maps = useSeatMaps(flightIds);
  const airlines = useAirlines();
  const purchase = useCreateBooking();
  const [names, setNames] = useState<(string | null)[]>(() => Array.from({ length: passengers }, () => null));
  const [choices, setChoices] = useState<LegChoice[]>(() =>
    flightIds.map(() => ({ auto: false, seats: Array.from({ length: passengers }, () => null), active: 0 })),
  );
  const [tried, setTried] = useState(false);
  /** The reference of the purchase's booking while the airlines have not decided (202). */
  const [waiting, setWaiting] = useState<string | null>(null);
  const lastRequest = useRef<{ body: string; key: string } | null>(null);
  const following = useRef<AbortController | null>(null);
  const seatsHeading = useRef<HTMLHeadingElement>(null);
  // Leaving the page stops following a pending purchase; My trips shows how it ends.
  useEffect(() => () => following.current?.abort(), []);

  if (flights.some((f) => f.isPending)) return <Loading />;
  const failed = flights.find((f) => f.isError);
  if (failed) return <ErrorMessage error={failed.error} onRetry={() => flights.forEach((f) => void f.refetch())} />;
  const legs = flights.map((f) => f.data).filter((f): f is Flight => f !== undefined);

  const nameOf = (passenger: number) => names[passenger] ?? (passenger === 0 ? (defaultName ?? '') : '');
  const airline = (id: string) => airlines.data?.byId.get(id) ?? { id, name: id };
  const mapOf = (leg: number): SeatMapView | undefined => maps[leg]?.data;
  // A chosen seat that the map now shows taken (someone bought it meanwhile) is no longer chosen.
  const seatsOf = (leg: number) => (choices[leg]?.seats ?? []).map((seat) => (isFree(mapOf(leg), seat) ? seat : null));
  const manual = (leg: number) => !(choices[leg]?.auto ?? true) && mapOf(leg) !== undefined;
  const namesMissing = Array.from({ length: passengers }, (_, p) => nameOf(p).trim() === '').some(Boolean);
  const legsMissingSeats = legs.filter((_, leg) => manual(leg) && seatsOf(leg).some((seat) => seat === null));
  const total = legs.reduce((sum, leg) => sum + leg.price * passengers, 0);
  const airlineNames = formatList([...new Set(legs.map((leg) => airline(leg.airline).name ?? leg.airline))], locale);

  const update = (leg: number, change: (choice: LegChoice) => LegChoice) =>
    setChoices((all) => all.map((choice, i) => (i === leg ? change(choice) : choice)));

  const pick = (leg: number, seat: string) =>
    update(leg, (choice) => {
      const seats = seatsOf(leg);
      seats[choice.active] = seat;
      // Move on to the next passenger still without a seat.
      const next = seats.findIndex((s, p) => s === null && p !== choice.active);
      return { ...choice, seats, active: next === -1 ? choice.active : next };
    });

  const request = (): BookingRequest => {
    const body: BookingRequest = {
      flights: legs.map((leg) => leg.id),
      passengers: Array.from({ length: passengers }, (_, p) => ({ name: nameOf(p).trim() })),
    };
    if (legs.every((_, leg) => !manual(leg))) return body; // the owners choose every seat
    const seats = legs.map((_, leg) => {
      const map = mapOf(leg);
      if (manual(leg)) return seatsOf(leg) as string[];
      return map ? chooseSeats(map, passengers) : null;
    });
    // A flight whose seats cannot be chosen here (its map is unavailable): let the owners choose all.
    if (seats.some((list) => list === null)) return body;
    return { ...body, seats: seats as string[][] };
  };

  /** Reads the seat maps again: of `flight`, or of every flight of the trip. */
  const rereadSeatMaps = (flight?: string) =>
    void queryClient.invalidateQueries({ queryKey: flight ? seatMapKey(flight) : ['seat-map'] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (namesMissing || legsMissingSeats.length > 0 || purchase.isPending) return;
    const body = request();
    const text = JSON.stringify(body);
    // The same request again (after a network failure, say) keeps its key, so it cannot buy twice.
    const key = lastRequest.current?.body === text ? lastRequest.current.key : newIdempotencyKey();
    lastRequest.current = { body: text, key };
    following.current?.abort();
    const follow = new AbortController();
    following.current = follow;
    setWaiting(null);
    purchase.mutate(
      { request: body, key, signal: follow.signal, onPending: (booking) => setWaiting(booking.reference) },
      {
        onSuccess: (result) => onBooked(result),
        onError: (error) => {
          // A purchase that bought nothing is over: trying again is a new purchase, with a new
          // key (the old one would only answer the same refusal again).
          if (boughtNothing(error)) lastRequest.current = null;
          if (error instanceof ApiError && error.code === 'seat_unavailable') rereadSeatMaps(error.detail('flight'));
        },
      },
    );
  };

  const chooseOtherSeats = () => {
    purchase.reset();
    rereadSeatMaps();
    seatsHeading.current?.focus();
  };

  const flightNumber = (id: string) => legs.find((leg) => leg.id === id)?.flight_number ?? id;

  return (
    <form className="checkout" onSubmit={submit} noValidate aria-busy={purchase.isPending}>
      <section className="card checkout__trip" aria-labelledby="checkout-trip">
        <h2 id="checkout-trip">{formatDate(legs[0]?.departure ?? '', locale)}</h2>
        <div className="checkout__map">
          <TripMap legs={legs.map((leg) => ({ origin: leg.origin, destination: leg.destination, airline: leg.airline, flight: leg.flight_number }))} />
        </div>
        <ol className="trip-legs">
          {legs.map((leg) => (
            <li key={leg.id} className="leg">
              <AirlineBadge airline={airline(leg.airline)} />
              <span className="leg__number">{leg.flight_number}</span>
              <span className="leg__route">
                <LocalTime at={leg.departure} dayOffset={daysBetween(legs[0]?.departure ?? leg.departure, leg.departure)} /> {leg.origin}
                <span aria-hidden="true"> → </span>
                <span className="visually-hidden"> – </span>
                <LocalTime at={leg.arrival} dayOffset={daysBetween(legs[0]?.departure ?? leg.departure, leg.arrival)} /> {leg.destination}
              </span>
              <span className="leg__duration muted">{formatDuration(leg.duration_minutes, locale)}</span>
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="checkout-passengers">
        <h2 id="checkout-passengers">{t('book.passengers')}</h2>
        {Array.from({ length: passengers }, (_, p) => (
          <TextField
            key={p}
            label={t('book.passengerName', { n: p + 1 })}
            name={`passenger-${p + 1}`}
            autoComplete={p === 0 ? 'name' : 'off'}
            required
            value={nameOf(p)}
            hint={p === 0 ? t('book.passengerHint') : undefined}
            error={tried && nameOf(p).trim() === '' ? t('book.passengerRequired') : undefined}
            onChange={(event) => setNames((all) => all.map((name, i) => (i === p ? event.target.value : name)))}
          />
        ))}
      </section>

      <section className="checkout__seats" aria-labelledby="checkout-seats">
        <h2 id="checkout-seats" ref={seatsHeading} tabIndex={-1}>
          {t('book.seats')}
        </h2>
        {legs.map((leg, index) => {
          const map = maps[index];
          const choice = choices[index];
          const title = t('book.seatsFor', { flight: leg.flight_number, origin: leg.origin, destination: leg.destination });
          const unavailable = map?.error instanceof ApiError && map.error.code === 'airline_unavailable';
          return (
            <section key={leg.id} className="card seat-leg" aria-label={title} data-flight={leg.id}>
              <div className="seat-leg__head">
                <h3>
                  <AirlineBadge airline={airline(leg.airline)} compact /> {leg.flight_number} · {leg.origin} → {leg.destination}
                </h3>
                <label className="toggle">
                  <input
                    type="checkbox"
                    checked={choice?.auto ?? false}
                    disabled={!map?.data}
                    onChange={(event) => update(index, (c) => ({ ...c, auto: event.target.checked }))}
                  />
                  {t('book.chooseForMe')}
                </label>
              </div>
              {map?.isPending ? <Loading /> : null}
              {unavailable ? (
                <Notice tone="warning">{t('book.seatMapUnavailable', { airline: airline(leg.airline).name ?? leg.airline })}</Notice>
              ) : map?.isError ? (
                <ErrorMessage error={map.error} onRetry={() => void map.refetch()} />
              ) : null}
              {map?.data && choice && !choice.auto ? (
                <SeatMap
                  map={map.data}
                  label={title}
                  names={Array.from({ length: passengers }, (_, p) => nameOf(p))}
                  seats={seatsOf(index)}
                  active={choice.active}
                  onActiveChange={(active) => update(index, (c) => ({ ...c, active }))}
                  onPick={(seat) => pick(index, seat)}
                />
              ) : null}
              {choice?.auto ? <p className="muted">{t('book.chosenForYou')}</p> : null}
              {tried && legsMissingSeats.includes(leg) ? (
                <p className="field__error">{t('book.seatsMissing', { flight: leg.flight_number })}</p>
              ) : null}
            </section>
          );
        })}
      </section>

      <section className="card checkout__summary" aria-labelledby="checkout-summary">
        <h2 id="checkout-summary">{t('book.summary')}</h2>
        <dl className="fares">
          {legs.map((leg) => (
            <div key={leg.id}>
              <dt>
                {leg.flight_number} · {leg.origin} → {leg.destination}
              </dt>
              <dd>{t('book.fare', { price: formatMoney(leg.price, locale), count: passengers })}</dd>
            </div>
          ))}
          <div className="fares__total">
            <dt>{t('book.total')}</dt>
            <dd>{formatMoney(total, locale)}</dd>
          </div>
        </dl>
        {purchase.error ? (
          <PurchaseProblem
            error={purchase.error}
            flightNumber={flightNumber}
            airlineName={(id) => airline(id).name ?? id}
            seatsChosen={purchase.variables?.request.seats !== undefined}
            searchHref={searchHref}
            onChooseSeats={chooseOtherSeats}
          />
        ) : null}
        {purchase.isPending ? (
          <div className="progress" role="status" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            <div>
              <p>{t('book.buying', { airlines: airlineNames })}</p>
              <p className="muted">{waiting ? t('book.waiting', { reference: waiting }) : t('book.buyingHint')}</p>
            </div>
          </div>
        ) : null}
        <button type="submit" className="button button--primary button--large" disabled={purchase.isPending}>
          {t('book.buy', { price: formatMoney(total, locale) })}
        </button>
      </section>
    </form>
  );
}
