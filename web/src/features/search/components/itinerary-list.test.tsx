import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { chain, DATE, flight, itinerary, referenceRoutes } from '../../../testing/fixtures';
import { mockApi } from '../../../testing/mock-api';
import { renderWithProviders } from '../../../testing/render';
import { ItineraryList } from './itinerary-list';

const params = { origin: 'RBR', destination: 'MCP', date: DATE, passengers: 2, departureFrom: '05:00', departureUntil: '07:00' };

const late = [
  flight(`RU1421-${DATE}`, 'RBR', 'MAO', `${DATE}T20:40:00-05:00`, `${DATE}T23:40:00-04:00`, 30_000),
  flight(`RU1777-${DATE}`, 'MAO', 'MCP', `2026-12-02T06:00:00-04:00`, `2026-12-02T08:50:00-03:00`, 31_000),
];

function show(itineraries: unknown[]) {
  const mock = mockApi({ ...referenceRoutes, 'GET /api/v1/itineraries': { body: { itineraries } } });
  renderWithProviders(
    <ItineraryList params={params} chooseHref={(i) => `/book?flights=${i.legs.map((l) => l.id).join(',')}`} onMap={0} onShowOnMap={() => undefined} />,
  );
  return mock;
}

describe('search results', () => {
  it('show each trip: legs with airline badges, times, duration, stops, price, highlights', async () => {
    const mock = show([itinerary(chain, { price: 190_000, highlights: ['fastest', 'cheapest'] })]);
    const card = await screen.findByRole('article');
    expect(mock.callsTo('GET /api/v1/itineraries')[0]?.query.toString()).toBe(
      'origin=RBR&destination=MCP&date=2026-12-01&passengers=2&departure_from=05%3A00&departure_until=07%3A00',
    );
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('1 viagem de Rio Branco para Macapá');
    const text = card.textContent ?? '';
    expect(text).toContain('06:00');
    expect(text).toContain('21:50');
    expect(text).toContain('2 paradas · via MCZ, MAO');
    expect(text).toContain('R$\u00a01.900,00');
    expect(text).toContain('para 2 passageiros');
    const badges = within(card).getByRole('list', { name: 'Destaques' });
    expect(within(badges).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Mais rápida', 'Mais barata']);
    const legs = within(card).getByRole('list', { name: 'Voos' });
    expect(within(legs).getAllByRole('listitem').map((li) => li.querySelector('.airline-badge')?.textContent)).toEqual(['Giro', 'Boreal', 'Rumos']);
    expect(within(card).getByRole('link', { name: /Escolher a viagem das 06:00 às 21:50/ })).toHaveAttribute(
      'href',
      `/book?flights=${chain.map((l) => l.id).join(',')}`,
    );
  });

  it('mark arrivals on a later day', async () => {
    show([itinerary(late, { arrival_day_offset: 1 })]);
    const card = await screen.findByRole('article');
    expect(within(card).getAllByText('+1 dia').length).toBeGreaterThan(0);
    expect(within(card).getAllByText('chega 1 dia depois').length).toBeGreaterThan(0);
  });

  it('show a trip needing an offline airline as not bookable, naming it', async () => {
    show([itinerary(chain, { bookable: false, offline_airlines: ['boreal'] })]);
    const card = await screen.findByRole('article');
    expect(within(card).getByRole('note')).toHaveTextContent('Indisponível: Boreal fora do ar no momento.');
    expect(within(card).queryByRole('link', { name: /Escolher/ })).toBeNull();
  });

  it('say so when there is no trip, and offer to retry a failed search', async () => {
    show([]);
    expect(await screen.findByText(/Nenhuma viagem encontrada/)).toBeInTheDocument();
  });
});
