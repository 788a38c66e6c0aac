// Debian's Chromium through playwright-core (no browser download), with a screenshot and an axe-core run for every
// page the flow visits.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
export const screenshotDir = join(here, 'screenshots');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];
/** Violations of these impacts fail the run; the others are printed for information. */
export const BLOCKING = new Set(['serious', 'critical']);

export async function launch() {
  return chromium.launch({
    executablePath: process.env.FERD_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // playwright gives every launch a fresh, temporary --user-data-dir of its own.
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * What the run saw: one entry per page checked (step, address, violations), and the Content-Security-Policy
 * violations and script errors the console reported.
 */
export class Recorder {
  /**
   * Without a prefix the screenshot folder starts empty; with one (a second test file of the same run) only the
   * files of that prefix are removed, and screenshots and report are named by it (`journey-01-….png`,
   * `axe-report-journey.json`).
   */
  constructor({ prefix = '' } = {}) {
    this.pages = [];
    this.consoleProblems = [];
    this.shots = 0;
    this.prefix = prefix;
    if (prefix) {
      mkdirSync(screenshotDir, { recursive: true });
      for (const f of readdirSync(screenshotDir)) {
        if (f.startsWith(`${prefix}-`) || f === `axe-report-${prefix}.json`) rmSync(join(screenshotDir, f), { force: true });
      }
    } else {
      rmSync(screenshotDir, { recursive: true, force: true });
      mkdirSync(screenshotDir, { recursive: true });
    }
  }

  /** A new browser context whose pages report CSP violations and script errors here. */
  async context(browser, options) {
    const context = await browser.newContext({ baseURL: process.env.FERD_E2E_URL, ...options });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(20_000);
    context.on('page', (page) => this.watch(page));
    return context;
  }

  watch(page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
        this.consoleProblems.push(`${page.url()}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => this.consoleProblems.push(`${page.url()}: script error: ${err.message}`));
  }

  /** A full-page screenshot named by step, and axe-core's verdict on the page as it is now. */
  async check(page, step) {
    this.shots += 1;
    const name = `${this.prefix ? `${this.prefix}-` : ''}${String(this.shots).padStart(2, '0')}-${step}`;
    await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    const entry = {
      step: name,
      url: new URL(page.url()).pathname,
      lang: await page.getAttribute('html', 'lang'),
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
      })),
      passes: result.passes.length,
      engine: result.testEngine.version,
    };
    this.pages.push(entry);
    for (const v of entry.violations) {
      const mark = BLOCKING.has(v.impact) ? 'FAIL' : 'info';
      console.log(`# axe ${mark} [${v.impact}] ${v.id} on ${name} (${entry.url}): ${v.help}`);
      for (const n of v.nodes) console.log(`#     ${n.target}: ${n.html.slice(0, 300)}`);
    }
    return entry;
  }

  /** Writes what axe found on every page to screenshots/axe-report.json (beside the screenshots). */
  writeReport() {
    const file = this.prefix ? `axe-report-${this.prefix}.json` : 'axe-report.json';
    writeFileSync(join(screenshotDir, file), JSON.stringify(this.pages, null, 2));
  }
}

/** Clicks `locator` (a submit button or link) and waits for the page it leads to; returns the final response. */
export async function follow(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return response;
}

/** Goes to `path` and returns the response. */
export async function open(page, path) {
  return page.goto(path, { waitUntil: 'load' });
}
