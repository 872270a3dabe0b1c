import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { booking, chain, referenceRoutes, seatMap } from '../../../testing/fixtures';
import { apiError, mockApi, type MockAnswer } from '../../../testing/mock-api';
import { renderWithProviders } from '../../../testing/render';
import type { Purchase } from '../api/create-booking';
import { Checkout } from './checkout';

const ids = chain.map((leg) => leg.id);
const results = '/?origin=RBR&destination=MCP';

function setUp(
  purchase: (body: unknown) => MockAnswer,
  seatMaps: Record<string, MockAnswer> = {},
  bookings: (reference: string) => MockAnswer = () => apiError(404, 'booking_not_found'),
) {
  const mock = mockApi({
    ...referenceRoutes,
    'GET /api/v1/flights/:id/seats': ({ params }) => seatMaps[params.id ?? ''] ?? { body: seatMap(params.id ?? '') },
    'GET /api/v1/flights/:id': ({ params }) => ({ body: chain.find((leg) => leg.id === params.id) }),
    'POST /api/v1/bookings': ({ body }) => purchase(body),
    'GET /api/v1/bookings/:reference': ({ params }) => bookings(params.reference ?? ''),
  });
  const onBooked = vi.fn<(purchase: Purchase) => void>();
  renderWithProviders(<Checkout flightIds={ids} passengers={2} defaultName="Ana Ferreira" searchHref={results} onBooked={onBooked} />);
  return { mock, onBooked };
}

/** Names the second passenger, chooses every seat and buys. */
async function buy(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
  await chooseAll();
  await user.click(buyButton());
}

const NOTHING_BOUGHT = 'A compra não foi concluída: nenhum voo desta viagem foi comprado e nada foi cobrado.';

/** The notice of a purchase that bought nothing. */
async function problem() {
  const title = await screen.findByText(NOTHING_BOUGHT, {}, { timeout: 5_000 });
  return title.closest<HTMLElement>('[role="alert"]')!;
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

  it('follows a pending purchase (202) until the airlines confirm it', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { mock, onBooked } = setUp(
      () => ({ status: 202, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia'], 'pending') }),
      {},
      (reference) => {
        reads += 1;
        return { body: booking(reference, chain, ['Ana Ferreira', 'Bia'], reads < 2 ? 'pending' : 'confirmed') };
      },
    );
    await buy(user);
    expect(await screen.findByText(/^As companhias ainda estão confirmando \(reserva K7M2QX\)/)).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();
    await waitFor(() => expect(onBooked).toHaveBeenCalled(), { timeout: 5_000 });
    const [purchase] = onBooked.mock.calls[0]!;
    expect(purchase.pending).toBe(false);
    expect(purchase.booking.status).toBe('confirmed');
    expect(purchase.booking.segments).toHaveLength(6);
    expect(mock.callsTo('GET /api/v1/bookings/:reference')).toHaveLength(2);
    expect(mock.callsTo('POST /api/v1/bookings')).toHaveLength(1);
  });

  it('follows a pending purchase until it fails: nothing bought, why, and other seats to choose', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { mock, onBooked } = setUp(
      () => ({ status: 202, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia'], 'pending') }),
      {},
      (reference) => {
        reads += 1;
        const failure = { code: 'seat_unavailable', message: 'the seats asked for on BO1001-2026-12-01 are no longer available; choose again', flight: ids[1] };
        return { body: booking(reference, chain, ['Ana Ferreira', 'Bia'], reads < 2 ? 'pending' : 'failed', failure) };
      },
    );
    await buy(user);
    const notice = await problem();
    // The failed booking names the flight, as the answer would have: its seat map is read again.
    expect(notice).toHaveTextContent('O assento escolhido no voo BO1001 foi ocupado por outra pessoa enquanto você escolhia. Escolha outro assento.');
    expect(notice).toHaveTextContent('Ela aparece em Minhas viagens como a reserva K7M2QX, não concluída.');
    expect(onBooked).not.toHaveBeenCalled();
    await waitFor(() => expect(mock.calls.filter((c) => c.path === `/api/v1/flights/${ids[1]}/seats`).length).toBeGreaterThan(1));
    expect(screen.queryByText(/^As companhias ainda estão confirmando/)).toBeNull();
    expect(buyButton()).toBeEnabled();

    await user.click(within(notice).getByRole('button', { name: 'Escolher outros assentos' }));
    expect(screen.queryByText(NOTHING_BOUGHT)).toBeNull();
    expect(screen.getByRole('heading', { name: 'Assentos' })).toHaveFocus();
  });

  it.each([
    { status: 409, code: 'seat_unavailable', extra: { flight: ids[1] }, reason: 'O assento escolhido no voo BO1001 foi ocupado por outra pessoa enquanto você escolhia. Escolha outro assento.', seats: true },
    { status: 409, code: 'flight_cancelled', extra: { flight: ids[0] }, reason: 'O voo GI1001 foi cancelado pela companhia.', seats: false },
    { status: 409, code: 'flight_departed', extra: { flight: ids[0] }, reason: 'O voo GI1001 já partiu.', seats: false },
    { status: 404, code: 'flight_not_found', extra: { flight: ids[2] }, reason: 'O voo RU1001 não está mais à venda.', seats: false },
    { status: 503, code: 'airline_unavailable', extra: { airline: 'boreal' }, reason: 'Boreal parou de responder durante a compra.', seats: false, later: true },
    { status: 503, code: 'purchase_interrupted', extra: {}, reason: 'A compra foi interrompida antes que todas as companhias confirmassem.', seats: false, later: true },
  ])('when the whole trip fails with $code: nothing bought, why, and what to do next', async ({ status, code, extra, reason, seats, later }) => {
    const user = userEvent.setup();
    const { onBooked } = setUp(() => apiError(status, code, { ...extra, reference: 'K7M2QX' }));
    await buy(user);
    const notice = await problem();
    expect(within(notice).getByText(reason)).toBeInTheDocument();
    expect(within(notice).getByText('Ela aparece em Minhas viagens como a reserva K7M2QX, não concluída.')).toBeInTheDocument();
    expect(within(notice).queryByText(/^Tente de novo daqui a alguns minutos/) !== null).toBe(later === true);
    expect(within(notice).queryByRole('button', { name: 'Escolher outros assentos' }) !== null).toBe(seats);
    expect(within(notice).getByRole('link', { name: 'Buscar outra viagem' })).toHaveAttribute('href', results);
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('buys again under a new key after a purchase that bought nothing, even for the same seats', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { mock, onBooked } = setUp(() => {
      attempt += 1;
      return attempt === 1
        ? apiError(503, 'airline_unavailable', { airline: 'boreal', reference: 'K7M2QX' })
        : { status: 201, body: booking('P4R8ZW', chain, ['Ana Ferreira', 'Bia']) };
    });
    await buy(user);
    await problem();
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    const [first, second] = mock.callsTo('POST /api/v1/bookings');
    expect(second?.body).toEqual(first?.body);
    expect(second?.headers.get('idempotency-key')).not.toBe(first?.headers.get('idempotency-key'));
  });

  it('keeps the key of a purchase whose answer never came, so that trying again cannot buy twice', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { mock, onBooked } = setUp(() => {
      attempt += 1;
      if (attempt === 1) throw new TypeError('Failed to fetch');
      return { status: 201, body: booking('K7M2QX', chain, ['Ana Ferreira', 'Bia']) };
    });
    await buy(user);
    expect(await screen.findByText('Sem conexão com o servidor. Verifique sua rede e tente de novo.')).toBeInTheDocument();
    await user.click(buyButton());
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    const [first, second] = mock.callsTo('POST /api/v1/bookings');
    expect(second?.headers.get('idempotency-key')).toBe(first?.headers.get('idempotency-key'));
  });

  it('says a flight is full when the airlines were to choose the seats and could not', async () => {
    const user = userEvent.setup();
    setUp(() => apiError(409, 'seat_unavailable', { flight: ids[1], reference: 'K7M2QX' }));
    await user.type(await screen.findByRole('textbox', { name: 'Nome do passageiro 2' }), 'Bia');
    for (let leg = 0; leg < 3; leg++) {
      await user.click(within(await seatsFor(leg)).getByRole('checkbox', { name: 'Escolher por mim' }));
    }
    await user.click(buyButton());
    expect(within(await problem()).getByText('Não há mais assentos livres suficientes no voo BO1001.')).toBeInTheDocument();
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

  it('names the airline that is offline when the purchase is refused before it begins', async () => {
    const user = userEvent.setup();
    setUp(() => apiError(503, 'airline_unavailable', { airline: 'boreal' }));
    await buy(user);
    const notice = await problem();
    expect(within(notice).getByText('Boreal está fora do ar no momento e não pode vender seus voos.')).toBeInTheDocument();
    expect(within(notice).getByText(/^Tente de novo daqui a alguns minutos/)).toBeInTheDocument();
    // Refused before anything began: there is no booking to mention.
    expect(within(notice).queryByText(/Minhas viagens/)).toBeNull();
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
