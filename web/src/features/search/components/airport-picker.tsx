/**
 * Choosing an airport by typing part of its city, code, name or state: an ARIA combobox with a
 * list that filters as one types (accents and case ignored), driven by mouse or keyboard
 * (arrows, Enter, Escape).
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';

import type { Airport } from '../../../api/get-airports';
import { fold } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';

type Props = {
  label: string;
  airports: readonly Airport[];
  /** The chosen airport's code, or '' for none. */
  value: string;
  onChange: (code: string) => void;
  error?: string;
  name: string;
};

const OPTIONS_MAX = 8;

function describe(airport: Airport): string {
  return `${airport.city} (${airport.code})`;
}

/** The airports matching `text`, best first: code, then city starting with it, then the rest. */
export function matchAirports(airports: readonly Airport[], text: string): Airport[] {
  const query = fold(text.trim());
  if (!query) return [...airports];
  const scored = airports.flatMap((airport) => {
    const code = airport.code.toLowerCase();
    const city = fold(airport.city);
    let score: number;
    if (code === query || fold(describe(airport)) === query) score = 0;
    else if (city.startsWith(query)) score = 1;
    else if (code.startsWith(query)) score = 2;
    else if (city.includes(query) || fold(airport.name).includes(query)) score = 3;
    else if (fold(airport.state) === query) score = 4;
    else return [];
    return [{ airport, score }];
  });
  return scored.sort((a, b) => a.score - b.score || a.airport.city.localeCompare(b.airport.city)).map((s) => s.airport);
}

export function AirportPicker({ label, airports, value, onChange, error, name }: Props) {
  const { t } = useI18n();
  const id = useId();
  const chosen = airports.find((airport) => airport.code === value);
  const [text, setText] = useState(chosen ? describe(chosen) : '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Show the chosen airport's name when the value changes from outside (swap, address).
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    setText(chosen ? describe(chosen) : '');
  }

  const options = useMemo(() => matchAirports(airports, text).slice(0, OPTIONS_MAX), [airports, text]);
  const listId = `${id}-list`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const errorId = `${id}-error`;

  const choose = (airport: Airport) => {
    setText(describe(airport));
    setShownValue(airport.code);
    onChange(airport.code);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else setActive((index) => Math.min(index + 1, options.length - 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((index) => Math.max(index - 1, 0));
        break;
      case 'Enter': {
        const option = options[active];
        if (open && option) {
          event.preventDefault();
          choose(option);
        }
        break;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
          setText(chosen ? describe(chosen) : text);
        }
        break;
    }
  };

  const onBlur = () => {
    setOpen(false);
    if (chosen && text === describe(chosen)) return;
    // What was typed names one airport (its code, its city, or the only match): take it.
    const typed = fold(text.trim());
    const matches = matchAirports(airports, text);
    const first = matches[0];
    if (typed && first && (matches.length === 1 || first.code.toLowerCase() === typed || fold(first.city) === typed)) {
      choose(first);
    } else if (value) {
      onChange('');
    }
  };

  return (
    <div className="field combobox">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options[active] ? optionId(active) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        placeholder={t('search.airportPlaceholder')}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={(event) => event.target.select()}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      <ul id={listId} role="listbox" aria-label={label} className="combobox__list" hidden={!open}>
        {options.length === 0 ? (
          <li className="combobox__empty" role="option" aria-disabled="true" aria-selected="false">
            {t('search.airportNone')}
          </li>
        ) : (
          options.map((airport, index) => (
            <li
              key={airport.code}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className="combobox__option"
              // Keep the focus in the input, so that blur does not close the list first.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(airport)}
              onMouseMove={() => setActive(index)}
            >
              <span className="combobox__city">{airport.city}</span>{' '}
              <span className="combobox__code">{airport.code}</span>
              <span className="combobox__name">
                {airport.name} · {airport.state}
              </span>
            </li>
          ))
        )}
      </ul>
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
