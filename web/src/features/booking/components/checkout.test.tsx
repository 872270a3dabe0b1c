import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { booking, chain, referenceRoutes, seatMap } from '../../../testing/fixtures';
import { apiError, mockApi, type MockAnswer } from '../../../testing/mock-api';
import { renderWithProviders } from '../../../testing/render';
import type { Purchase } from '../api/create-booking';
import { Checkout } from './checkout';

const ids = chain.map((leg) => leg.id);

function setUp(purchase: (body: unknown) => MockAnswer, seatMaps: Record<string, MockAnswer> = {}) {
  const mock = mockApi({
    ...referenceRoutes,
    'GET /api/v1/flights/:id/seats': ({ params }) => seatMaps[params.id ?? ''] ?? { body: seatMap(params.id ?? '') },
    'GET /api/v1/flights/:id': ({ params }) => ({ body: chain.find((leg) => leg.id === params.id) }),
    'POST /api/v1/bookings': ({ body }) => purchase(body),
  });
  const onBooked = vi.fn<(purchase: Purchase) => void>();
  renderWithProviders(<Checkout flightIds={ids} passengers={2} defaultName="Ana Ferreira" onBooked={onBooked} />);
  return { mock, onBooked };
}

async function seatsFor(leg: number) {
  const sections = await screen.findAllByRole('region', { name: /^Assentos no voo/ });
  return sections[leg]!;
}

async function choose(leg: number, seat: string) {
  const section = await seatsFor(leg);
  await userEvent.click(await within(section).findByRole('button', { name: new RegExp(`^Assento ${seat},`) }));
}

async function chooseAll() {
  for (let leg = 0; leg < 3; leg++) {
    await choose(leg, '1A');
    await choose(leg, '1B');
  }
}

const buyButton = () => screen.getByRole('button', { name: /^Comprar por/ });

describe('checkout', () => {
  it('buys the chosen seats for named passengers, with an idempotency key', async () => {
    const user = userEvent.setup();
    const { mock, onBooked } = setUp(() => ({ status: 201, body: booking('K7M2QX', chain, ['Ana Ferreira', 'João Silva']) }));
    expect(await screen.findByRole('textbox', { name: 'Nome do passageiro 1' })).toHaveValue('Ana Ferreira');
    await user.type(screen.getByRole('textbox', { name: 'Nome do passageiro 2' }), 'João Silva');
    await chooseAll();
    expect(buyButton()).toHaveTextContent('Comprar por R$ 1.900,00');
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(expect.objectContaining({ pending: false })));
    const [call] = mock.callsTo('POST /api/v1/bookings');
    expect(call?.body).toEqual({
      flights: ids,
      passengers: [{ name: 'Ana Ferreira' }, { name: 'João Silva' }],
      seats: [['1A', '1B'], ['1A', '1B'], ['1A', '1B']],
    });
    expect(call?.headers.get('idempotency-key')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('asks for names and seats before buying', async () => {
    const user = userEvent.setup();
    const { mock } = setUp(() => ({ status: 201 }));
    await seatsFor(0);
    await user.click(buyButton());
    expect(screen.getByText('Informe o nome de cada passageiro.')).toBeInTheDocument();
    expect(screen.getAllByText(/Escolha um assento para cada passageiro no voo/)).toHaveLength(3);
    expect(mock.callsTo('POST /api/v1/bookings')).toHaveLength(0);
  });

  it('lets the airlines choose every seat when asked to', async () => {
    const user = userEvent.setup();
    const { mock, onBooked } = setUp(() => ({ status: 201, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia']) }));
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    for (let leg = 0; leg < 3; leg++) {
      await user.click(within(await seatsFor(leg)).getByRole('checkbox', { name: 'Escolher por mim' }));
    }
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(mock.callsTo('POST /api/v1/bookings')[0]?.body).not.toHaveProperty('seats');
  });

  it('reports a pending purchase (202) so that its page can follow it', async () => {
    const user = userEvent.setup();
    const { onBooked } = setUp(() => ({ status: 202, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia'], 'pending') }));
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    await chooseAll();
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(expect.objectContaining({ pending: true })));
  });

  it('when a seat was taken meanwhile: says so, shows it taken, and buys the new choice under a new key', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const seatMaps: Record<string, MockAnswer> = {};
    const { mock, onBooked } = setUp(() => {
      attempt += 1;
      if (attempt === 1) {
        seatMaps[ids[1]!] = { body: seatMap(ids[1]!, ['1B']) };
        return apiError(409, 'seat_unavailable', { flight: ids[1] });
      }
      return { status: 201, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia']) };
    }, seatMaps);
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    await chooseAll();
    await user.click(buyButton());
    expect(await screen.findByText(/O assento escolhido no voo BO1001 foi ocupado por outra pessoa/)).toBeInTheDocument();
    const boreal = await seatsFor(1);
    expect(await within(boreal).findByRole('button', { name: 'Assento 1B, ocupado' })).toHaveAttribute('aria-disabled', 'true');
    // Passenger 2 lost 1B on that flight; a new seat for them.
    await user.click(within(boreal).getByRole('radio', { name: /^Bia/ }));
    await choose(1, '2C');
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    const [first, second] = mock.callsTo('POST /api/v1/bookings');
    expect((second?.body as { seats: string[][] }).seats[1]).toEqual(['1A', '2C']);
    expect(second?.headers.get('idempotency-key')).not.toBe(first?.headers.get('idempotency-key'));
  });

  it('names the airline that is offline when the purchase cannot reach it', async () => {
    const user = userEvent.setup();
    setUp(() => apiError(503, 'airline_unavailable', { airline: 'boreal' }));
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    await chooseAll();
    await user.click(buyButton());
    expect(await screen.findByText(/^Boreal está fora do ar no momento/)).toBeInTheDocument();
  });

  it("says when a flight's seat map is unavailable because its airline is offline", async () => {
    setUp(() => ({ status: 201 }), { [ids[1]!]: apiError(503, 'airline_unavailable', { airline: 'boreal' }) });
    const boreal = await seatsFor(1);
    expect(await within(boreal).findByText(/O mapa de assentos deste voo não está disponível: Boreal está fora do ar/)).toBeInTheDocument();
    expect(within(boreal).getByRole('checkbox', { name: 'Escolher por mim' })).toBeDisabled();
  });

  it('shows its progress while the airlines confirm', async () => {
    const user = userEvent.setup();
    let release: (answer: MockAnswer) => void = () => undefined;
    setUp(() => new Promise<MockAnswer>((resolve) => (release = resolve)) as unknown as MockAnswer);
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    await chooseAll();
    await user.click(buyButton());
    expect(await screen.findByText('Confirmando sua compra com Giro, Boreal e Rumos…')).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();
    release({ status: 201, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia']) });
  });
});
