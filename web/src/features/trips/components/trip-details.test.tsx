import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { booking, chain, referenceRoutes } from '../../../testing/fixtures';
import { apiError, mockApi } from '../../../testing/mock-api';
import { renderWithProviders } from '../../../testing/render';
import { TripDetails } from './trip-details';

describe('a booking', () => {
  it('shows its flights, seats, tickets and history', async () => {
    mockApi({ ...referenceRoutes, 'GET /api/v1/bookings/:reference': { body: booking('K7M2QX', chain, ['Ana', 'Bia']) } });
    renderWithProviders(<TripDetails reference="K7M2QX" justBooked />);
    expect(await screen.findByText('Compra confirmada! Sua reserva é K7M2QX.')).toBeInTheDocument();
    const flights = screen.getAllByRole('region', { name: /→/ });
    expect(flights.map((f) => f.getAttribute('aria-label'))).toEqual(['GI1001 RBR → MCZ', 'BO1001 MCZ → MAO', 'RU1001 MAO → MCP']);
    const rows = within(flights[0]!).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(0, 3).map((c) => c.textContent))).toEqual([
      ['Ana', '1A', '7710000000001'],
      ['Bia', '1B', '7710000000002'],
    ]);
    expect(screen.getByText(/Total pago/)).toHaveTextContent('R$ 1.900,00');
    expect(within(screen.getByRole('region', { name: 'Histórico' })).getByText('Confirmada')).toBeInTheDocument();
  });

  it('while pending, is read again until the airlines decide', async () => {
    let reads = 0;
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings/:reference': () => {
        reads += 1;
        return { body: booking('K7M2QX', chain, ['Ana'], reads < 3 ? 'pending' : 'confirmed') };
      },
    });
    renderWithProviders(<TripDetails reference="K7M2QX" justBooked />);
    expect(await screen.findByText(/Estamos aguardando a confirmação das companhias/)).toBeInTheDocument();
    // No seats are sold yet, and a purchase still being decided cannot be cancelled.
    expect(screen.getByText('Os assentos e bilhetes aparecem aqui assim que todas as companhias confirmarem.')).toBeInTheDocument();
    expect(within(screen.getByRole('heading', { level: 1 }).parentElement!).getByText('Aguardando confirmação')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancelar viagem' })).toBeNull();
    expect(await screen.findByText('Compra confirmada! Sua reserva é K7M2QX.', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(reads).toBe(3);
    expect(screen.queryByText(/Estamos aguardando/)).toBeNull();
    expect(screen.getAllByRole('region', { name: /→/ })).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Cancelar viagem' })).toBeInTheDocument();
  });

  it('pending, then failed: says the purchase did not go through, why, and that nothing was charged', async () => {
    let reads = 0;
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings/:reference': () => {
        reads += 1;
        const failure = { code: 'airline_unavailable', message: 'boreal stopped answering; nothing was bought', airline: 'boreal' };
        return { body: booking('K7M2QX', chain, ['Ana'], reads < 2 ? 'pending' : 'failed', failure) };
      },
    });
    renderWithProviders(<TripDetails reference="K7M2QX" justBooked searchHref="/" />);
    expect(await screen.findByText(/Estamos aguardando a confirmação das companhias/)).toBeInTheDocument();
    const notice = (await screen.findByText('A compra não foi concluída e nenhum assento foi vendido.', {}, { timeout: 5_000 })).closest('[role="alert"]')!;
    expect(notice).toHaveTextContent('Boreal parou de responder durante a compra.');
    expect(notice).toHaveTextContent('Nada foi cobrado.');
    expect(within(notice as HTMLElement).getByRole('link', { name: 'Buscar outra viagem' })).toHaveAttribute('href', '/');
    expect(within(screen.getByRole('heading', { level: 1 }).parentElement!).getByText('Não concluída')).toBeInTheDocument();
    expect(screen.queryByText('Compra confirmada! Sua reserva é K7M2QX.')).toBeNull();
    expect(screen.queryByText(/Total pago/)).toBeNull();
    expect(screen.getByText(/^1 passageiro · Compra iniciada em /)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancelar viagem' })).toBeNull();
    expect(within(screen.getByRole('region', { name: 'Histórico' })).getByText('Compra não concluída')).toBeInTheDocument();
    expect(reads).toBe(2);
  });

  it.each([
    ['seat_unavailable', 'Um dos assentos escolhidos foi ocupado por outra pessoa enquanto a compra era confirmada.'],
    ['flight_cancelled', 'Um dos voos desta viagem foi cancelado pela companhia.'],
    ['flight_departed', 'Um dos voos desta viagem já partiu.'],
    ['flight_not_found', 'Um dos voos desta viagem não está mais à venda.'],
    ['purchase_interrupted', 'A compra foi interrompida antes que todas as companhias confirmassem.'],
  ])('failed with %s: says why in words', async (code, reason) => {
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings/:reference': { body: booking('K7M2QX', chain, ['Ana'], 'failed', { code, message: `${code} (mock)` }) },
    });
    renderWithProviders(<TripDetails reference="K7M2QX" />);
    expect(await screen.findByText(reason)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancelar viagem' })).toBeNull();
  });

  it('can be cancelled after a confirmation', async () => {
    const user = userEvent.setup();
    const mock = mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings/:reference': { body: booking('K7M2QX', chain, ['Ana']) },
      'POST /api/v1/bookings/:reference/cancel': { body: booking('K7M2QX', chain, ['Ana'], 'cancelled') },
    });
    renderWithProviders(<TripDetails reference="K7M2QX" />);
    await user.click(await screen.findByRole('button', { name: 'Cancelar viagem' }));
    expect(screen.getByText('Cancelar a reserva K7M2QX? Todos os assentos serão liberados.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sim, cancelar' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Sim, cancelar' }));
    expect(await screen.findByText('Viagem cancelada. Os assentos foram liberados.')).toBeInTheDocument();
    expect(mock.callsTo('POST /api/v1/bookings/:reference/cancel')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Cancelar viagem' })).toBeNull();
    expect(within(screen.getByRole('heading', { level: 1 }).parentElement!).getByText('Cancelada')).toBeInTheDocument();
  });

  it('says why it cannot be cancelled once a flight left', async () => {
    const user = userEvent.setup();
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings/:reference': { body: booking('K7M2QX', chain, ['Ana']) },
      'POST /api/v1/bookings/:reference/cancel': apiError(409, 'flight_departed'),
    });
    renderWithProviders(<TripDetails reference="K7M2QX" />);
    await user.click(await screen.findByRole('button', { name: 'Cancelar viagem' }));
    await user.click(screen.getByRole('button', { name: 'Sim, cancelar' }));
    expect(await screen.findByText('Não é possível cancelar: um voo desta viagem já partiu.')).toBeInTheDocument();
  });

  it('of someone else is not found', async () => {
    mockApi({ ...referenceRoutes, 'GET /api/v1/bookings/:reference': apiError(404, 'booking_not_found') });
    renderWithProviders(<TripDetails reference="ZZZZZZ" />);
    expect(await screen.findByText('Reserva não encontrada.')).toBeInTheDocument();
  });
});

describe('the list of trips', () => {
  it('shows a failed purchase with why and a pending one until the airlines decide', async () => {
    const { TripList } = await import('./trip-list');
    let reads = 0;
    const failure = { code: 'flight_cancelled', message: 'flight BO1001-2026-12-01 is cancelled', flight: 'BO1001-2026-12-01' };
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings': () => {
        reads += 1;
        return {
          body: {
            bookings: [
              booking('PPPPPP', chain, ['Ana'], reads < 2 ? 'pending' : 'confirmed'),
              booking('FFFFFF', chain, ['Ana', 'Bia'], 'failed', failure),
              booking('CCCCCC', chain, ['Ana']),
            ],
            next_cursor: null,
          },
        };
      },
    });
    renderWithProviders(<TripList tripHref={(r) => `/trips/${r}`} searchHref="/" />);
    const row = async (reference: string) => (await screen.findByRole('link', { name: new RegExp(reference) })).closest('li')!;

    const failed = await row('FFFFFF');
    expect(within(failed).getByText('Não concluída')).toBeInTheDocument();
    expect(failed).toHaveTextContent('O voo BO1001 foi cancelado pela companhia.');
    expect(failed).toHaveTextContent('2 passageiros · Nada foi cobrado.');
    expect(failed).not.toHaveTextContent('R$');

    const pending = await row('PPPPPP');
    expect(within(pending).getByText('Aguardando confirmação')).toBeInTheDocument();
    expect(pending).toHaveTextContent('Aguardando a confirmação das companhias.');
    expect(pending).toHaveTextContent('1 passageiro · R$ 950,00');

    expect(within(await row('CCCCCC')).getByText('Confirmada')).toBeInTheDocument();
    // The list is read again while a purchase is pending, and stops once it is decided.
    await waitFor(() => expect(within(pending).getByText('Confirmada')).toBeInTheDocument(), { timeout: 5_000 });
    expect(pending).toHaveTextContent('RBR → MCP');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reads).toBe(2);
  });

  it('pages with "load more"', async () => {
    const user = userEvent.setup();
    const { TripList } = await import('./trip-list');
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/bookings': ({ query }) =>
        query.get('cursor')
          ? { body: { bookings: [booking('BBBBBB', chain.slice(2), ['Ana'], 'cancelled')], next_cursor: null } }
          : { body: { bookings: [booking('AAAAAA', chain, ['Ana', 'Bia'])], next_cursor: 'next' } },
    });
    renderWithProviders(<TripList tripHref={(r) => `/trips/${r}`} searchHref="/" />);
    const first = await screen.findByRole('link', { name: /AAAAAA/ });
    expect(first).toHaveAttribute('href', '/trips/AAAAAA');
    expect(first.closest('li')).toHaveTextContent('RBR → MCP');
    expect(first.closest('li')).toHaveTextContent('2 passageiros');
    await user.click(screen.getByRole('button', { name: 'Carregar mais' }));
    expect(await screen.findByRole('link', { name: /BBBBBB/ })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Carregar mais' })).toBeNull());
  });
});
