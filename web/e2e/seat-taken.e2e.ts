/**
 * A seat taken by another buyer while the page shows the seat map: the purchase is refused,
 * the page says so, shows the seat taken, and the customer chooses again and buys.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { call, customer, tomorrow, uniqueUsername } from './support/api';
import { launch, open, visible } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { register } from './support/pages';

let network: Network;
let browser: Browser;

beforeAll(async () => {
  [network, browser] = await Promise.all([startNetwork({ airlines: ['rumos'] }), launch()]);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

it('a seat bought by someone else meanwhile: told so, choose again, buy', async () => {
  const base = network.node('rumos').url;
  const flight = `RU1001-${tomorrow()}`;
  const session = await open(browser, base);
  const { page } = session;
  await register(page, uniqueUsername('carla'), 'Carla Souza');

  await page.goto(`/book?flights=${flight}&passengers=1`);
  const seat5C = page.locator('button[data-seat="5C"]');
  await visible(seat5C);
  await seat5C.click();
  await visible(page.locator('button.seat--chosen[data-seat="5C"]'));

  // Another buyer takes 5C through the API while the page shows it chosen.
  const rival = await customer(base, uniqueUsername('rival'));
  const bought = await call(base, 'POST', '/bookings', {
    token: rival,
    body: { flights: [flight], passengers: [{ name: 'Outra Pessoa' }], seats: [['5C']] },
  });
  expect(bought.status).toBe(201);

  await page.getByRole('button', { name: /^Comprar por R\$/ }).click();
  const problem = page.locator('.checkout .notice--error');
  await visible(problem);
  expect(await problem.textContent()).toContain('foi ocupado por outra pessoa enquanto você escolhia');
  // The map is read again: 5C is now taken and no longer chosen.
  await visible(page.locator('button.seat--taken[data-seat="5C"]'));
  expect(await page.locator('button[data-seat="5C"]').getAttribute('aria-label')).toBe('Assento 5C, ocupado');

  await page.locator('button[data-seat="5D"]').click();
  await page.getByRole('button', { name: /^Comprar por R\$/ }).click();
  await visible(page.getByText(/Compra confirmada! Sua reserva é [A-Z0-9]{6}\./), 30_000);
  expect(await page.locator('td.seat-number').allTextContents()).toEqual(['5D']);
  expect(session.errors).toEqual([]);
  await session.context.close();
});
