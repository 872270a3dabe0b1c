/** What the tests do on the app's pages, as a customer would. */
import type { Page } from 'playwright-core';

import { tomorrow } from './api';
import { visible } from './browser';

export const PASSWORD = 'senha-de-teste-123';

export async function register(page: Page, username: string, name: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Nome completo').fill(name);
  await page.getByLabel('Usuário').fill(username);
  await page.getByLabel('Senha').fill(PASSWORD);
  await page.getByRole('button', { name: 'Criar conta' }).last().click();
  await visible(page.getByText(`Olá, ${name.split(' ')[0]}`));
}

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Usuário').fill(username);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).last().click();
}

async function pickAirport(page: Page, label: string, typed: string, option: RegExp) {
  const input = page.getByRole('combobox', { name: label });
  await input.fill(typed);
  await page.getByRole('option', { name: option }).click();
}

export type SearchOptions = { passengers?: number; after?: string; before?: string };

/** Searches tomorrow's trips from the search page, choosing airports by typing. */
export async function search(page: Page, from: [string, RegExp], to: [string, RegExp], options: SearchOptions = {}): Promise<void> {
  await page.goto('/');
  await pickAirport(page, 'Origem', from[0], from[1]);
  await pickAirport(page, 'Destino', to[0], to[1]);
  await page.getByLabel('Data de ida').fill(tomorrow());
  if (options.passengers) await page.getByLabel('Passageiros').selectOption(String(options.passengers));
  if (options.after) await page.getByLabel('Partida a partir de').fill(options.after);
  if (options.before) await page.getByLabel('Partida até').fill(options.before);
  await page.getByRole('button', { name: 'Buscar viagens' }).click();
}

/** The result card of the trip flying exactly these legs (`RBR-MCZ MCZ-MAO`). */
export function tripCard(page: Page, legs: string) {
  return page.locator(`article.itinerary[data-legs="${legs}"]`);
}
