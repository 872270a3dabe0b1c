/**
 * An airline that owns a leg of the trip goes away while the customer buys it at Rumos: the
 * original's chain Rio Branco → Maceió (Giro) → Manaus (Boreal) → Macapá (Rumos).
 *
 * - During the purchase: Boreal stops answering (SIGSTOP, like a machine that hangs) just as
 *   the customer presses buy. Rumos still has it online, so the purchase begins; Rumos answers
 *   202 (its `purchase_wait_ms` is shorter than `prepare_timeout_ms` here) and the page follows
 *   the booking until the purchase fails for want of Boreal's vote. The page says that nothing
 *   was bought, why, and the booking's reference; My trips lists it as not completed; and once
 *   Boreal runs again no owner keeps a seat of it.
 * - Before the purchase: Boreal is shut down while the checkout page is open. The purchase is
 *   refused at once (503 `airline_unavailable`), naming Boreal, and the search the customer goes
 *   back to shows the trip not bookable.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { call, ownerRecords, uniqueUsername } from './support/api';
import { expectNoAxeViolations, launch, open, visible } from './support/browser';
import { startNetwork, type AirlineId, type Network } from './support/network';
import { register, search, tripCard } from './support/pages';

let network: Network;
let browser: Browser;

beforeAll(async () => {
  [network, browser] = await Promise.all([
    startNetwork({
      // Rumos answers 202 after half a second, and gives up on a missing vote after three.
      commit: { purchase_wait_ms: 500, prepare_timeout_ms: 3000 },
      // Heartbeats slow enough that Rumos still has Boreal online when the purchase begins,
      // a moment after Boreal stops: a heartbeat waits 2 s for its answer.
      network: { heartbeat_interval_ms: 1000, heartbeat_timeout_ms: 2000 },
    }),
    launch(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

const owners: AirlineId[] = ['giro', 'boreal', 'rumos'];

/** Searches the chain at Rumos and opens its checkout; the flights' ids. */
async function openChainCheckout(page: Page): Promise<string[]> {
  await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
  const chain = tripCard(page, 'RBR-MCZ MCZ-MAO MAO-MCP');
  await visible(chain);
  await chain.getByRole('link', { name: /Escolher/ }).click();
  await visible(page.getByRole('heading', { name: 'Sua viagem' }));
  const legs = page.locator('section.seat-leg');
  await visible(legs.nth(2).locator('button.seat--free'));
  expect(await legs.count()).toBe(3);
  return legs.evaluateAll((sections) => sections.map((section) => section.getAttribute('data-flight') ?? ''));
}

/** Lets the owners choose the seats on every flight. */
async function letAirlinesChoose(page: Page): Promise<void> {
  const boxes = page.getByRole('checkbox', { name: 'Escolher por mim' });
  for (let leg = 0; leg < 3; leg++) await boxes.nth(leg).check();
}

async function statusOf(airline: AirlineId): Promise<string | undefined> {
  const view = await call(network.node('rumos').url, 'GET', '/network');
  const peers = view.body.peers as { airline: string; status: string }[];
  return peers.find((peer) => peer.airline === airline)?.status;
}

it('Boreal stops answering during the purchase: nothing bought, the page says so and why', async () => {
  const session = await open(browser, network.node('rumos').url);
  const { page } = session;
  await register(page, uniqueUsername('davi'), 'Davi Rocha');
  const flights = await openChainCheckout(page);
  await letAirlinesChoose(page);

  network.freeze('boreal');
  try {
    await page.getByRole('button', { name: /^Comprar por R\$/ }).click();
    // The airlines have not decided when Rumos answers: the page follows the booking.
    const waiting = page.getByText(/As companhias ainda estão confirmando \(reserva [A-Z0-9]{6}\)/);
    await visible(waiting, 10_000);
    const reference = /reserva ([A-Z0-9]{6})/.exec((await waiting.textContent()) ?? '')?.[1] ?? '';

    const problem = page.locator('.checkout .purchase-problem');
    await visible(problem, 20_000);
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain('A compra não foi concluída: nenhum voo desta viagem foi comprado e nada foi cobrado.');
    expect(text).toContain('Boreal parou de responder durante a compra.');
    expect(text).toContain('Tente de novo daqui a alguns minutos');
    expect(text).toContain(`Ela aparece em Minhas viagens como a reserva ${reference}, não concluída.`);
    expect(await problem.getByRole('link', { name: 'Buscar outra viagem' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Comprar por R\$/ }).isEnabled()).toBe(true);
    await expectNoAxeViolations(page, 'the checkout after a failed purchase');

    // My trips lists it as not completed, with why.
    await page.getByRole('link', { name: 'Minhas viagens' }).first().click();
    const row = page.locator(`li.trip[data-reference="${reference}"]`);
    await visible(row);
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('Não concluída');
    expect(rowText).toContain('Boreal parou de responder durante a compra.');
    expect(rowText).toContain('Nada foi cobrado.');
    await row.getByRole('link').click();
    await visible(page.getByText('A compra não foi concluída e nenhum assento foi vendido.'));
    expect(await page.getByRole('button', { name: 'Cancelar viagem' }).count()).toBe(0);
    expect(session.errors).toEqual([]);

    // Once Boreal runs again, no owner keeps a seat of it (Boreal asks Rumos, learns the abort).
    network.thaw('boreal');
    for (const [index, flight] of flights.entries()) {
      await expect
        .poll(async () => (await ownerRecords(network.node(owners[index]!).url, flight)).filter((r) => r.seller === 'rumos').length, {
          timeout: 20_000,
          interval: 250,
        })
        .toBe(0);
    }
  } finally {
    network.thaw('boreal');
    await session.context.close();
  }
});

it('Boreal shut down while the checkout is open: refused at once, naming Boreal; the search shows the trip not bookable', async () => {
  await expect.poll(() => statusOf('boreal'), { timeout: 20_000, interval: 250 }).toBe('online');
  const session = await open(browser, network.node('rumos').url);
  const { page } = session;
  await register(page, uniqueUsername('elisa'), 'Elisa Prado');
  await openChainCheckout(page);
  await letAirlinesChoose(page);

  await network.shutdown('boreal');
  await expect.poll(() => statusOf('boreal'), { timeout: 20_000, interval: 250 }).toBe('offline');
  await page.getByRole('button', { name: /^Comprar por R\$/ }).click();

  const problem = page.locator('.checkout .purchase-problem');
  await visible(problem);
  const text = (await problem.textContent()) ?? '';
  expect(text).toContain('A compra não foi concluída: nenhum voo desta viagem foi comprado e nada foi cobrado.');
  expect(text).toContain('Boreal está fora do ar no momento e não pode vender seus voos.');
  expect(text).toContain('Tente de novo daqui a alguns minutos');
  // Refused before it began: no booking was made.
  expect(text).not.toContain('Minhas viagens');

  await problem.getByRole('link', { name: 'Buscar outra viagem' }).click();
  const chain = tripCard(page, 'RBR-MCZ MCZ-MAO MAO-MCP');
  await visible(chain);
  expect(await chain.textContent()).toContain('Indisponível: Boreal fora do ar no momento.');
  expect(await chain.getByRole('link', { name: /Escolher/ }).count()).toBe(0);
  expect(session.errors).toEqual([]);
  await session.context.close();
});
