/**
 * Accounts in the browser: register, log out, a wrong password, log in; a session that
 * expires leads back to the login page with a message, and back where the customer was; the
 * language switch is remembered. The node here expires idle sessions after 4 seconds.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { uniqueUsername } from './support/api';
import { launch, open, visible } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { login, register } from './support/pages';

const SESSION_IDLE_MS = 4_000;

let network: Network;
let browser: Browser;

beforeAll(async () => {
  [network, browser] = await Promise.all([
    startNetwork({
      airlines: ['rumos'],
      limits: { session_idle_timeout_ms: SESSION_IDLE_MS, session_touch_interval_ms: 500 },
    }),
    launch(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

it('registers, logs out, refuses a wrong password, logs in', async () => {
  const session = await open(browser, network.node('rumos').url);
  const { page } = session;
  const username = uniqueUsername('diana');
  await register(page, username, 'Diana Prado');

  await page.getByRole('button', { name: 'Sair' }).click();
  await visible(page.getByText('Você saiu da sua conta.'));
  await visible(page.getByRole('link', { name: 'Entrar' }).first());

  await login(page, username, 'not-the-password');
  await visible(page.getByText('Usuário ou senha incorretos.'));
  await login(page, username);
  await visible(page.getByText('Olá, Diana'));
  expect(session.errors).toEqual([]);
  await session.context.close();
});

it('an expired session leads to the login page with a message, then back', async () => {
  const session = await open(browser, network.node('rumos').url);
  const { page } = session;
  const username = uniqueUsername('eva');
  await register(page, username, 'Eva Nunes');
  await page.getByRole('link', { name: 'Minhas viagens' }).click();
  await visible(page.getByText('Você ainda não comprou nenhuma viagem.'));

  await page.waitForTimeout(SESSION_IDLE_MS + 1_000);
  await page.getByRole('link', { name: 'Rede' }).click();
  await page.getByRole('link', { name: 'Minhas viagens' }).click();
  await visible(page.getByText('Sua sessão expirou. Entre novamente para continuar.'));
  expect(new URL(page.url()).pathname).toBe('/login');

  await login(page, username);
  await visible(page.getByRole('heading', { name: 'Minhas viagens' }));
  expect(new URL(page.url()).pathname).toBe('/trips');
  expect(session.errors).toEqual([]);
  await session.context.close();
});

it('switches to English and remembers it', async () => {
  const session = await open(browser, network.node('rumos').url);
  const { page } = session;
  await page.goto('/');
  await visible(page.getByRole('heading', { name: 'Para onde você vai?' }));
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await visible(page.getByRole('heading', { name: 'Where are you going?' }));
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await page.reload();
  await visible(page.getByRole('link', { name: 'My trips' }));
  await page.getByRole('button', { name: 'Mudar para português' }).click();
  await visible(page.getByRole('link', { name: 'Minhas viagens' }));
  expect(session.errors).toEqual([]);
  await session.context.close();
});
