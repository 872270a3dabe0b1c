/**
 * Every main page: no axe violations (WCAG 2.1 A/AA and best practices), usable by keyboard,
 * no sideways scrolling at a phone's width. The run saves screenshots of each page
 * (docs/screenshots with PASSCOM_SCREENSHOTS=1, which ./scripts/screenshots sets).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { call, customer, tomorrow, uniqueUsername } from './support/api';
import { expectNoAxeViolations, expectNoSidewaysScroll, launch, open, screenshot, visible, type Session } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { PASSWORD, search, tripCard } from './support/pages';

let network: Network;
let browser: Browser;
let username: string;
let reference: string;

const PHONE = { width: 390, height: 844 };
const CHAIN = 'RBR-MCZ MCZ-MAO MAO-MCP';

beforeAll(async () => {
  [network, browser] = await Promise.all([startNetwork(), launch()]);
  // A customer with one trip bought, for the trips pages.
  const base = network.node('rumos').url;
  username = uniqueUsername('fabio');
  await call(base, 'POST', '/auth/register', { body: { username, password: PASSWORD, name: 'Fábio Costa' } });
  const token = String((await call(base, 'POST', '/auth/login', { body: { username, password: PASSWORD } })).body.token);
  const booking = await call(base, 'POST', '/bookings', {
    token,
    headers: { 'Idempotency-Key': `pages-${username}` },
    body: { flights: [`RU1001-${tomorrow()}`], passengers: [{ name: 'Fábio Costa' }, { name: 'Gabriela Costa' }], seats: [['7A', '7B']] },
  });
  reference = String(booking.body.reference);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

/** A context logged in as the test's customer (the session put where the app keeps it). */
async function loggedIn(viewport?: { width: number; height: number }): Promise<Session> {
  const base = network.node('rumos').url;
  const login = await call(base, 'POST', '/auth/login', { body: { username, password: PASSWORD } });
  const session = await open(browser, base, viewport);
  await session.context.addInitScript((value) => localStorage.setItem('passcom.session', value), JSON.stringify({ token: login.body.token, expiresAt: login.body.expires_at, username }));
  return session;
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.loading').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

describe('pages', () => {
  it('search: the network map, then the results', async () => {
    const session = await open(browser, network.node('rumos').url);
    const { page } = session;
    await page.goto('/');
    await visible(page.getByRole('img', { name: 'Mapa da rede PassCom' }));
    await settle(page);
    await expectNoAxeViolations(page, 'the search page');
    await screenshot(page, 'home');

    await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
    await visible(tripCard(page, CHAIN));
    await visible(page.getByRole('img', { name: 'Mapa da viagem' }));
    await settle(page);
    await expectNoAxeViolations(page, 'the search results');
    await screenshot(page, 'search');
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  it('login and registration', async () => {
    const session = await open(browser, network.node('rumos').url);
    const { page } = session;
    await page.goto('/login');
    await visible(page.getByRole('heading', { name: 'Entrar' }));
    await expectNoAxeViolations(page, 'the login page');
    await screenshot(page, 'login');
    await page.goto('/register');
    await visible(page.getByRole('heading', { name: 'Criar conta' }));
    await expectNoAxeViolations(page, 'the registration page');
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  it('booking, trips, trip details, network', async () => {
    const session = await loggedIn();
    const { page } = session;
    await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
    await tripCard(page, CHAIN).getByRole('link', { name: /Escolher/ }).click();
    await visible(page.locator('section.seat-leg').nth(2).locator('button.seat--free').first());
    await page.locator('section.seat-leg').nth(0).locator('button[data-seat="3A"]').click();
    await settle(page);
    await expectNoAxeViolations(page, 'the booking page');
    await screenshot(page, 'booking');

    await page.goto(`/trips/${reference}`);
    await visible(page.getByRole('heading', { name: new RegExp(reference) }));
    await settle(page);
    await expectNoAxeViolations(page, 'the trip details');
    await screenshot(page, 'trip');

    await page.goto('/trips');
    await visible(page.locator(`li.trip[data-reference="${reference}"]`));
    await expectNoAxeViolations(page, 'My trips');
    await screenshot(page, 'trips');

    await page.goto('/network');
    await visible(page.locator('li.peer[data-airline="giro"][data-status="online"]'));
    await settle(page);
    await expectNoAxeViolations(page, 'the network page');
    await screenshot(page, 'network');
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  it("at a phone's width nothing scrolls sideways", async () => {
    const session = await loggedIn(PHONE);
    const { page } = session;
    await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
    await visible(tripCard(page, CHAIN));
    await settle(page);
    await expectNoSidewaysScroll(page, 'the search results');
    await screenshot(page, 'phone-search');

    await tripCard(page, CHAIN).getByRole('link', { name: /Escolher/ }).click();
    await visible(page.locator('section.seat-leg').nth(2).locator('button.seat--free').first());
    await expectNoSidewaysScroll(page, 'the booking page');
    await screenshot(page, 'phone-booking');

    for (const path of [`/trips/${reference}`, '/trips', '/network', '/login']) {
      await page.goto(path);
      await settle(page);
      await expectNoSidewaysScroll(page, path);
    }
    await page.goto(`/trips/${reference}`);
    await settle(page);
    await screenshot(page, 'phone-trip');
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  it('search, choose and buy with the keyboard alone', async () => {
    const base = network.node('rumos').url;
    await customer(base, uniqueUsername('teclado'));
    const session = await loggedIn();
    const { page } = session;
    await page.goto('/');
    await visible(page.getByRole('combobox', { name: 'Origem' }));
    // From the top of the page: the skip link, then into the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pular para o conteúdo');
    await page.getByRole('combobox', { name: 'Origem' }).focus();
    await page.keyboard.type('manaus');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // the swap button
    await page.keyboard.press('Tab');
    await page.keyboard.type('MCP');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('combobox', { name: 'Destino' }).inputValue()).toBe('Macapá (MCP)');
    await page.getByLabel('Data de ida').fill(tomorrow());
    await page.getByLabel('Data de ida').press('Enter');

    const direct = tripCard(page, 'MAO-MCP').first();
    await visible(direct);
    await direct.getByRole('link', { name: /Escolher/ }).focus();
    await page.keyboard.press('Enter');

    // The seat map is one tab stop; arrows move, Enter chooses.
    const firstFree = page.locator('button.seat--free[tabindex="0"]');
    await visible(firstFree);
    await firstFree.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-seat'));
    await page.keyboard.press('Enter');
    await visible(page.locator(`button.seat--chosen[data-seat="${focused}"]`));
    await page.getByRole('button', { name: /^Comprar por R\$/ }).focus();
    await page.keyboard.press('Enter');
    await visible(page.getByText(/Compra confirmada! Sua reserva é [A-Z0-9]{6}\./), 30_000);
    await screenshot(page, 'confirmation');
    expect(await page.locator('td.seat-number').allTextContents()).toEqual([focused]);
    expect(session.errors).toEqual([]);
    await session.context.close();
  });
});
