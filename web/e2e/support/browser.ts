/**
 * Debian's Chromium, headless, driven by playwright-core (which never downloads a browser).
 * Each test gets a fresh context; page errors and unexpected console errors fail the test.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline-friendly on a CI machine. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch(): Promise<Browser> {
  // Playwright gives every launch a fresh temporary --user-data-dir and passes --headless.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
}

export type Session = { context: BrowserContext; page: Page; errors: string[] };

/** A fresh context and page on `baseURL`, at a phone's width if asked. */
export async function open(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }): Promise<Session> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Answers with an error status are logged by the browser; they are expected in tests of
    // refusals and are checked through what the page shows instead.
    if (message.type() === 'error' && !message.text().includes('the server responded with a status of')) {
      errors.push(`console error: ${message.text()}`);
    }
  });
  return { context, page, errors };
}

/** Waits until `locator` is visible. */
export async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** Runs axe-core on the page (WCAG 2.x A and AA); fails listing every violation. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol: the app's Content Security Policy forbids inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  });
  expect(violations, `axe violations on ${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Whether the page scrolls sideways (it must not, even at a phone's width). */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} is wider than the screen by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** Where screenshots go: docs/screenshots with PASSCOM_SCREENSHOTS=1 (./scripts/screenshots), else test-results/. */
export function screenshotDir(): string {
  const dir = process.env.PASSCOM_SCREENSHOTS
    ? resolve(import.meta.dirname, '../../../docs/screenshots')
    : resolve(import.meta.dirname, '../../test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true, animations: 'disabled' });
}
