import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { referenceRoutes } from '../../../testing/fixtures';
import { mockApi } from '../../../testing/mock-api';
import { renderWithProviders } from '../../../testing/render';
import { NetworkStatus } from './network-status';

function view(borealStatus: string, lag: number) {
  return {
    airline: 'rumos',
    started_at: '2026-11-26T12:00:00Z',
    log_head: 5160,
    public_key: 'key',
    peers: [
      {
        airline: 'boreal',
        url: 'http://127.0.0.1:9999',
        status: borealStatus,
        since: '2026-11-26T12:00:02Z',
        last_heartbeat: new Date(Date.now() - 4_000).toISOString(),
        replication: { position: 3840 - lag, owner_head: 3840, lag_entries: lag, last_applied_at: null },
      },
      {
        airline: 'giro',
        url: 'http://127.0.0.1:8888',
        status: 'online',
        since: '2026-11-26T12:00:01Z',
        last_heartbeat: null,
        replication: { position: 4080, owner_head: 4080, lag_entries: 0, last_applied_at: null },
      },
    ],
  };
}

describe('the network status', () => {
  it('shows each airline online or offline, its last heartbeat and replication lag, and refreshes itself', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let reads = 0;
    mockApi({
      ...referenceRoutes,
      'GET /api/v1/network': () => {
        reads += 1;
        return { body: reads === 1 ? view('online', 12) : view('offline', 0) };
      },
    });
    renderWithProviders(<NetworkStatus />);
    const boreal = await screen.findByText('Boreal').then((badge) => badge.closest('li')!);
    expect(within(boreal).getByText('No ar')).toBeInTheDocument();
    expect(within(boreal).getByText('12 alterações')).toBeInTheDocument();
    expect(within(boreal).getByText('posição 3828 de 3840')).toBeInTheDocument();
    expect(within(boreal).getByText(/^há \d+ s$/)).toBeInTheDocument();
    const giro = screen.getByText('Giro').closest('li')!;
    expect(within(giro).getByText('nunca')).toBeInTheDocument();
    expect(within(giro).getByText('em dia')).toBeInTheDocument();

    await vi.advanceTimersByTimeAsync(3_500);
    expect(await within(boreal).findByText('Fora do ar')).toBeInTheDocument();
    expect(reads).toBeGreaterThanOrEqual(2);
    vi.useRealTimers();
  });
});
