import { useState, type FormEvent } from 'react';

import type { Airport } from '../../../api/get-airports';
import { today } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import type { SearchParams } from '../api/get-itineraries';
import { AirportPicker } from './airport-picker';

type Props = {
  airports: readonly Airport[];
  /** The search shown now (from the address), to start from. */
  initial: SearchParams | null;
  onSearch: (params: SearchParams) => void;
  busy?: boolean;
};

const PASSENGERS_MAX = 9;

export function SearchForm({ airports, initial, onSearch, busy = false }: Props) {
  const { t } = useI18n();
  const [origin, setOrigin] = useState(initial?.origin ?? '');
  const [destination, setDestination] = useState(initial?.destination ?? '');
  const [date, setDate] = useState(initial?.date ?? today());
  const [passengers, setPassengers] = useState(initial?.passengers ?? 1);
  const [departureFrom, setDepartureFrom] = useState(initial?.departureFrom ?? '');
  const [departureUntil, setDepartureUntil] = useState(initial?.departureUntil ?? '');
  const [tried, setTried] = useState(false);

  const originError = tried && !origin ? t('search.airportRequired') : undefined;
  const destinationError =
    tried && !destination
      ? t('search.airportRequired')
      : tried && destination === origin
        ? t('search.same')
        : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!origin || !destination || origin === destination || !date) return;
    onSearch({
      origin,
      destination,
      date,
      passengers,
      ...(departureFrom ? { departureFrom } : {}),
      ...(departureUntil ? { departureUntil } : {}),
    });
  };

  const swap = () => {
    setOrigin(destination);
    setDestination(origin);
  };

  return (
    <form className="search-form card" onSubmit={submit} noValidate aria-label={t('search.title')}>
      <div className="search-form__airports">
        <AirportPicker
          name="origin"
          label={t('search.origin')}
          airports={airports}
          value={origin}
          onChange={setOrigin}
          error={originError}
        />
        <button type="button" className="button button--icon search-form__swap" onClick={swap} aria-label={t('search.swap')} title={t('search.swap')}>
          <span aria-hidden="true">⇄</span>
        </button>
        <AirportPicker
          name="destination"
          label={t('search.destination')}
          airports={airports}
          value={destination}
          onChange={setDestination}
          error={destinationError}
        />
      </div>
      <div className="search-form__when">
        <div className="field">
          <label htmlFor="search-date">{t('search.date')}</label>
          <input
            id="search-date"
            name="date"
            type="date"
            required
            min={today()}
            value={date}
            onChange={(event) => setDate(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="search-passengers">{t('search.passengers')}</label>
          <select
            id="search-passengers"
            name="passengers"
            value={passengers}
            onChange={(event) => setPassengers(Number(event.target.value))}
          >
            {Array.from({ length: PASSENGERS_MAX }, (_, i) => i + 1).map((count) => (
              <option key={count} value={count}>
                {t('search.passengerCount', { count })}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field search-form__window">
          <legend>{t('search.window')}</legend>
          <div className="search-form__window-inputs">
            <label htmlFor="search-after" className="visually-hidden">
              {t('search.windowFrom')}
            </label>
            <input
              id="search-after"
              name="after"
              type="time"
              value={departureFrom}
              onChange={(event) => setDepartureFrom(event.target.value)}
            />
            <span aria-hidden="true">{t('search.windowAnd')}</span>
            <label htmlFor="search-before" className="visually-hidden">
              {t('search.windowUntil')}
            </label>
            <input
              id="search-before"
              name="before"
              type="time"
              value={departureUntil}
              onChange={(event) => setDepartureUntil(event.target.value)}
            />
          </div>
        </fieldset>
      </div>
      <button type="submit" className="button button--primary search-form__submit" disabled={busy}>
        {t('search.submit')}
      </button>
    </form>
  );
}
