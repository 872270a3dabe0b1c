/**
 * An airline goes offline (its operator types `shutdown` on its console): the other nodes
 * notice, search still shows the trips that need it but not bookable, naming it, and the
 * network page shows it offline.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { call } from './support/api';
import { expectNoAxeViolations, launch, open, screenshot, visible } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { search, tripCard } from './support/pages';

let network: Network;
let browser: Browser;

beforeAll(async () => {
  [network, browser] = await Promise.all([startNetwork(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

it('with Boreal offline, the chain through Boreal is shown not bookable, naming Boreal', async () => {
  const rumos = network.node('rumos').url;
  await network.shutdown('boreal');
  await expect
    .poll(
      async () => {
        const view = await call(rumos, 'GET', '/network');
        const peers = view.body.peers as { airline: string; status: string }[];
        return peers.find((peer) => peer.airline === 'boreal')?.status;
      },
      { timeout: 20_000, interval: 250 },
    )
    .toBe('offline');

  const session = await open(browser, rumos);
  const { page } = session;
  await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
  const chain = tripCard(page, 'RBR-MCZ MCZ-MAO MAO-MCP');
  await visible(chain);
  const text = (await chain.textContent()) ?? '';
  expect(text).toContain('Indisponível: Boreal fora do ar no momento.');
  expect(await chain.getByRole('link', { name: /Escolher/ }).count()).toBe(0);
  // Highlights are only for trips that can be bought.
  expect(await chain.locator('.highlight').count()).toBe(0);

  await page.getByRole('link', { name: 'Rede' }).click();
  const boreal = page.locator('li.peer[data-airline="boreal"]');
  await visible(boreal);
  await expect.poll(async () => boreal.getAttribute('data-status'), { timeout: 10_000 }).toBe('offline');
  expect(await boreal.textContent()).toContain('Fora do ar');
  expect(await page.locator('li.peer[data-airline="giro"]').getAttribute('data-status')).toBe('online');
  await expectNoAxeViolations(page, 'the network page with an airline offline');
  await screenshot(page, 'network-offline');
  expect(session.errors).toEqual([]);
  await session.context.close();
});
