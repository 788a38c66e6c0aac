// What a browser story needs besides the browser: the settings run.sh passes, steps that share one story (a step
// after a failed one is skipped), small page helpers, and the sign-in with the two-factor set-up a fresh account
// meets (as flow.test.mjs does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { follow, open } from './browser.mjs';
import { totp } from './totp.mjs';

/** A setting run.sh passes in the environment; a missing one is an error that says how to run the tests. */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run e2e/run.sh, which starts ferd and sets it)`);
  return v;
}

/**
 * Steps of one story: `step(name, fn)` registers a test that is skipped once an earlier step failed (the failed
 * step says what went wrong; the rest would only fail again for the same reason).
 */
export function storyline({ timeout = 90_000 } = {}) {
  let broken = null;
  const step = (name, fn) =>
    test(name, { timeout }, async (t) => {
      if (broken) {
        t.skip(`skipped: the step "${broken}" failed`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        broken = name;
        throw e;
      }
    });
  step.broken = () => broken;
  return step;
}

export const path = (page) => new URL(page.url()).pathname;
export const lang = (page) => page.getAttribute('html', 'lang');
/** The element's visible text with white space collapsed. */
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Password sign-in; returns the response of the page it lands on. */
export async function signIn(page, who) {
  await open(page, '/login');
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  return follow(page, page.locator('form[action="/login"] button[type=submit]'));
}

/**
 * Sets up the second factor on the set-up page a first sign-in leads to (the secret from
 * `#totp-secret[data-secret]`, the code computed here); checks the page with `rec` first. Returns the secret.
 */
export async function enrolTotp(page, rec, stepName) {
  assert.equal(path(page), '/account/two-factor', 'the first sign-in leads to the two-factor set-up');
  await rec.check(page, stepName);
  const secret = await page.getAttribute('#totp-secret', 'data-secret');
  assert.match(secret ?? '', /^[A-Z2-7]{16,}=*$/, 'the set-up page shows the base32 secret');
  await page.fill('#code', totp(secret));
  const r = await follow(page, page.locator('form[action="/account/two-factor"] button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.equal(path(page), '/account', 'a right code ends on the account page');
  await page.locator('main .notice[role=status]').waitFor();
  return secret;
}

/** The date `days` from today in Europe/Oslo (the practice's time zone), as YYYY-MM-DD. */
export function osloDate(days = 0) {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(at);
}
