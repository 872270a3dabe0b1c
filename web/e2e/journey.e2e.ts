/**
 * The purchase journeys in a real browser against real nodes: search, seats, buy, the
 * confirmation, My trips, cancel.
 *
 * - One airline: a Rumos flight bought at Rumos, two passengers, seats chosen.
 * - Three airlines: the original's chain Rio Branco → Maceió → Manaus → Macapá on Giro, Boreal
 *   and Rumos, bought at Rumos in one purchase (the two-phase commit): confirmed with every
 *   leg, each owner keeping its record of its seat under Rumos's booking reference, and every
 *   owner's seat released when the customer cancels.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ownerRecords, uniqueUsername } from './support/api';
import { expectNoAxeViolations, launch, open, visible, type Session } from './support/browser';
import { startNetwork, type AirlineId, type Network } from './support/network';
import { register, search, tripCard } from './support/pages';

let network: Network;
let browser: Browser;

beforeAll(async () => {
  [network, browser] = await Promise.all([startNetwork(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

/** Chooses a free seat on each flight's map for each passenger, front rows first. */
async function chooseSeats(page: Page, passengers: number): Promise<string[][]> {
  const legs = page.locator('section.seat-leg');
  const count = await legs.count();
  const chosen: string[][] = [];
  for (let leg = 0; leg < count; leg++) {
    const section = legs.nth(leg);
    const seats: string[] = [];
    for (let p = 0; p < passengers; p++) {
      if (passengers > 1) await section.getByRole('radio').nth(p).check();
      const free = section.locator('button.seat--free:not([aria-disabled])').nth(2 + p);
      const seat = (await free.getAttribute('data-seat')) ?? '';
      await free.click();
      await visible(section.locator(`button.seat--chosen[data-seat="${seat}"]`));
      seats.push(seat);
    }
    chosen.push(seats);
  }
  return chosen;
}

async function expectConfirmation(session: Session, seats: string[][]) {
  const { page } = session;
  // The purchase ends on the booking's page, or with a message on the checkout page.
  const outcome = page.locator('.trip-details .notice--success, .checkout .notice--error');
  await visible(outcome, 60_000);
  if (await page.locator('.checkout .notice--error').count()) {
    throw new Error(`the purchase failed: ${await page.locator('.checkout .notice--error').textContent()}`);
  }
  await visible(page.getByText(/Compra confirmada! Sua reserva é [A-Z0-9]{6}\./));
  const reference = (await page.locator('#trip-title .reference').textContent())?.trim() ?? '';
  expect(reference).toMatch(/^[A-Z0-9]{6}$/);
  const tickets = await page.locator('td.ticket-number').allTextContents();
  expect(tickets.length).toBe(seats.flat().length);
  tickets.forEach((ticket) => expect(ticket).toMatch(/^\d{13}$/));
  const shownSeats = await page.locator('td.seat-number').allTextContents();
  expect(shownSeats.sort()).toEqual(seats.flat().sort());
  return reference;
}

async function seeInMyTripsAndCancel(session: Session, reference: string) {
  const { page } = session;
  await page.getByRole('link', { name: 'Minhas viagens' }).first().click();
  const row = page.locator(`li.trip[data-reference="${reference}"]`);
  await visible(row);
  expect(await row.textContent()).toContain('Confirmada');
  await row.getByRole('link').click();
  await visible(page.getByRole('heading', { name: new RegExp(reference) }));
  await visible(page.getByRole('heading', { name: 'Histórico' }));
  await page.getByRole('button', { name: 'Cancelar viagem' }).click();
  await page.getByRole('button', { name: 'Sim, cancelar' }).click();
  await visible(page.getByText('Viagem cancelada. Os assentos foram liberados.'));
  await visible(page.locator('.trip-details__head .status--cancelled'));
  expect(session.errors).toEqual([]);
}

describe('buying a trip', () => {
  it('of one airline: search, choose seats for two passengers, buy, see it in My trips, cancel', async () => {
    const session = await open(browser, network.node('rumos').url);
    const { page } = session;
    await register(page, uniqueUsername('ana'), 'Ana Ferreira');

    await search(page, ['Manaus', /Manaus/], ['mcp', /Macapá/], { passengers: 2, after: '18:00', before: '20:00' });
    const card = tripCard(page, 'MAO-MCP').first();
    await visible(card);
    expect(await card.textContent()).toContain('Direto');
    await card.getByRole('link', { name: /Escolher/ }).click();

    await visible(page.getByRole('heading', { name: 'Sua viagem' }));
    await visible(page.locator('button.seat--free').first());
    // The first passenger is the customer; the second needs a name.
    expect(await page.getByRole('textbox', { name: 'Nome do passageiro 1' }).inputValue()).toBe('Ana Ferreira');
    await page.getByRole('textbox', { name: 'Nome do passageiro 2' }).fill('João Ferreira');
    const seats = await chooseSeats(page, 2);
    await expectNoAxeViolations(page, 'the booking page');
    await page.getByRole('button', { name: /^Comprar por R\$/ }).click();

    const reference = await expectConfirmation(session, seats);
    await seeInMyTripsAndCancel(session, reference);
    await session.context.close();
  });

  it('across three airlines: the original chain Rio Branco → Macapá departing 05:00–07:00 tomorrow', async () => {
    const session = await open(browser, network.node('rumos').url);
    const { page } = session;
    await register(page, uniqueUsername('bruno'), 'Bruno Lima');

    await search(page, ['Rio Branco', /Rio Branco/], ['Macapá', /Macapá/], { after: '05:00', before: '07:00' });
    const chain = tripCard(page, 'RBR-MCZ MCZ-MAO MAO-MCP');
    await visible(chain);
    const text = (await chain.textContent()) ?? '';
    for (const airline of ['Giro', 'Boreal', 'Rumos']) expect(text).toContain(airline);
    expect(text).toContain('2 paradas');
    await chain.getByRole('link', { name: /Escolher/ }).click();

    await visible(page.getByRole('heading', { name: 'Sua viagem' }));
    // Seat maps of Giro's and Boreal's flights come from their owners, through Rumos.
    await visible(page.locator('section.seat-leg').nth(2).locator('button.seat--free').first());
    expect(await page.locator('section.seat-leg').count()).toBe(3);
    const flights = await page.locator('section.seat-leg').evaluateAll((legs) => legs.map((leg) => leg.getAttribute('data-flight') ?? ''));
    const owners: AirlineId[] = ['giro', 'boreal', 'rumos'];
    const seats = await chooseSeats(page, 1);
    await page.getByRole('button', { name: /^Comprar por R\$/ }).click();

    const reference = await expectConfirmation(session, seats);
    // Every leg, each with its owner's badge.
    const legs = page.locator('section.booked-flight');
    expect(await legs.count()).toBe(3);
    for (const [index, name] of ['Giro', 'Boreal', 'Rumos'].entries()) {
      expect(await legs.nth(index).textContent()).toContain(name);
    }
    const tickets = await page.locator('td.ticket-number').allTextContents();

    // Each owner's own record of its seat, cross-referenced to Rumos's booking.
    for (const [index, flight] of flights.entries()) {
      const records = await ownerRecords(network.node(owners[index]!).url, flight);
      const record = records.find((r) => r.reference === reference);
      expect(record, `${owners[index]}'s record of ${flight}`).toMatchObject({
        seat: seats[index]![0],
        state: 'sold',
        passenger: 'Bruno Lima',
        seller: 'rumos',
        ticket_number: tickets[index],
      });
    }

    await seeInMyTripsAndCancel(session, reference);
    // Cancelling released the seat at every owner.
    for (const [index, flight] of flights.entries()) {
      await expect
        .poll(async () => (await ownerRecords(network.node(owners[index]!).url, flight)).some((r) => r.reference === reference), {
          timeout: 15_000,
          interval: 250,
        })
        .toBe(false);
    }
    await session.context.close();
  });
});
