import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { session } from '../lib/session';
import { chain, itinerary, referenceRoutes, seatMap } from '../testing/fixtures';
import { apiError, mockApi } from '../testing/mock-api';
import { logIn, renderApp } from '../testing/render';

const me = { id: 1, username: 'anaferreira', name: 'Ana Ferreira', created_at: '2026-11-01T00:00:00Z', session_expires_at: '2099-01-01T00:00:00Z' };

describe('the app', () => {
  it('sends a visitor of a customer page to the login page, and back after logging in', async () => {
    const user = userEvent.setup();
    const mock = mockApi({
      ...referenceRoutes,
      'POST /api/v1/auth/login': { body: { token: 't', token_type: 'Bearer', expires_at: '2099-01-01T00:00:00Z' } },
      'GET /api/v1/me': { body: me },
      'GET /api/v1/bookings': { body: { bookings: [], next_cursor: null } },
    });
    const { router } = renderApp('/trips');
    await user.type(await screen.findByLabelText('Usuário'), 'anaferreira');
    await user.type(screen.getByLabelText('Senha'), 'senhaSegura321');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    expect(await screen.findByText('Você ainda não comprou nenhuma viagem.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/trips');
    expect(mock.callsTo('POST /api/v1/auth/login')[0]?.body).toEqual({ username: 'anaferreira', password: 'senhaSegura321' });
    expect(await screen.findByText('Olá, Ana')).toBeInTheDocument();
  });

  it('takes a customer whose session expired to the login page with a message', async () => {
    logIn();
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/me': apiError(401, 'session_expired'),
      'GET /api/v1/bookings': apiError(401, 'session_expired'),
    });
    const { router } = renderApp('/trips');
    expect(await screen.findByText('Sua sessão expirou. Entre novamente para continuar.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(session.token()).toBeNull();
  });

  it('logs out', async () => {
    const user = userEvent.setup();
    logIn();
    const mock = mockApi({ ...referenceRoutes, 'GET /api/v1/me': { body: me }, 'POST /api/v1/auth/logout': { status: 204 } });
    renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Sair' }));
    expect(await screen.findByText('Você saiu da sua conta.')).toBeInTheDocument();
    expect(mock.callsTo('POST /api/v1/auth/logout')).toHaveLength(1);
    expect(session.token()).toBeNull();
  });

  it('asks the search again after a purchase, never showing the old results: a trip refused for an offline airline shows not bookable', async () => {
    const user = userEvent.setup();
    logIn();
    const mock = mockApi({
      ...referenceRoutes,
      'GET /api/v1/me': { body: me },
      'GET /api/v1/itineraries': async () => {
        if (mock.callsTo('GET /api/v1/itineraries').length < 2) return { body: { itineraries: [itinerary(chain)] } };
        // The search asked again takes a moment: long enough to see what shows meanwhile.
        await new Promise((r) => setTimeout(r, 300));
        return { body: { itineraries: [itinerary(chain, { bookable: false, offline_airlines: ['boreal'] })] } };
      },
      'GET /api/v1/flights/:id/seats': ({ params }) => ({ body: seatMap(params.id ?? '') }),
      'GET /api/v1/flights/:id': ({ params }) => ({ body: chain.find((leg) => leg.id === params.id) }),
      'POST /api/v1/bookings': apiError(503, 'airline_unavailable', { airline: 'boreal' }),
    });
    renderApp('/?from=RBR&to=MCP&date=2026-12-01&pax=1');
    await user.click(await screen.findByRole('link', { name: /^Escolher a viagem/ }));
    for (const box of await screen.findAllByRole('checkbox', { name: 'Escolher por mim' })) await user.click(box);
    await user.click(screen.getByRole('button', { name: /^Comprar por/ }));
    await user.click(await screen.findByRole('link', { name: 'Buscar outra viagem' }));
    // Never the old results, not even while the search is asked again.
    await screen.findByRole('heading', { name: 'Para onde você vai?' });
    expect(screen.queryByRole('link', { name: /^Escolher a viagem/ })).toBeNull();
    expect(await screen.findByText('Indisponível: Boreal fora do ar no momento.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Escolher a viagem/ })).toBeNull();
    expect(mock.callsTo('GET /api/v1/itineraries')).toHaveLength(2);
  });

  it('switches to English and remembers the choice', async () => {
    const user = userEvent.setup();
    mockApi(referenceRoutes);
    renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Switch to English' }));
    expect(await screen.findByRole('heading', { name: 'Where are you going?' })).toBeInTheDocument();
    expect(localStorage.getItem('passcom.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it("wears its airline's name and colour", async () => {
    mockApi(referenceRoutes);
    renderApp('/');
    await waitFor(() => expect(document.documentElement.style.getPropertyValue('--brand')).toBe('#c62828'));
    expect(document.title).toBe('Rumos · PassCom');
  });

  it('answers an unknown page with a way back', async () => {
    mockApi(referenceRoutes);
    renderApp('/nowhere');
    expect(await screen.findByRole('heading', { name: 'Página não encontrada' })).toBeInTheDocument();
  });
});
