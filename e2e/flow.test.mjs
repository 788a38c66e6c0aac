// The browser flow, end to end, against a running ferd (started by run.sh on a fresh practice):
//
//   a therapist signs in with TOTP, invites a client, the client accepts, fills in a PCL-5 and a PHQ-9 with item 9 > 0,
//   sees the crisis contacts and their chart; the therapist sees the scores, the chart and the alert, and
//   acknowledges it.
//
// The therapist's browser speaks Norwegian (locale nb-NO), the client's English (en-GB, and the client is created
// with English as their language); the language switch is checked in both. Every page visited is screenshotted
// into screenshots/ and checked with axe-core (WCAG 2.0 A/AA, 2.1 AA): a serious or critical violation fails the
// run, lesser ones are printed. Steps share one story, so a step after a failed one is skipped, not failed again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { totp } from './lib/totp.mjs';
import './totp.test.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run e2e/run.sh, which starts ferd and sets it)`);
  return v;
};
const BASE = env('FERD_E2E_URL');
const ADMIN = { email: env('FERD_E2E_ADMIN_EMAIL'), password: env('FERD_E2E_ADMIN_PASSWORD'), name: 'Eva Admin' };
const THERAPIST = {
  email: env('FERD_E2E_THERAPIST_EMAIL'),
  password: env('FERD_E2E_THERAPIST_PASSWORD'),
  name: 'Tore Terapeut',
};
const CLIENT = { name: 'Kari Klient', email: 'kari@e2e.example.org', password: 'lang-nok passord 2025!' };

let browser;
let rec;
let therapist; // page, Norwegian
let client; // page, English
let broken = null; // the first step that failed
const story = {}; // what one step leaves for the next: client id, invitation link, …

before(async () => {
  rec = new Recorder();
  browser = await launch();
});
after(async () => {
  rec?.writeReport();
  await browser?.close();
});

/** A step of the story: skipped once an earlier one failed (its failure says what went wrong). */
function step(name, fn) {
  test(name, { timeout: 90_000 }, async (t) => {
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
}

const path = (page) => new URL(page.url()).pathname;
const lang = (page) => page.getAttribute('html', 'lang');
const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Password sign-in; returns the response of the page it lands on. */
async function signIn(page, who) {
  await open(page, '/login');
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  return follow(page, page.locator('form[action="/login"] button[type=submit]'));
}

/** A six-digit code that is none of the codes the server would accept around now. */
function wrongCode(secret) {
  const now = Date.now() / 1000;
  const valid = new Set([-60, -30, 0, 30, 60].map((d) => totp(secret, now + d)));
  return ['000000', '123456', '999999', '424242'].find((c) => !valid.has(c));
}

/** Sets up the second factor on the set-up page the first sign-in leads to; returns the secret. */
async function enrolTotp(page, stepName) {
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

/** Presses the language switch's button for `tag` and waits for the page to come back. */
async function switchLanguage(page, tag) {
  return follow(page, page.locator(`form.lang-switch button[name=lang][value=${tag}]`));
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The therapist signs in with TOTP.

step('therapist: first sign-in sets up TOTP, then signs in with a code (a wrong one is refused)', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  therapist = await ctx.newPage();
  const page = therapist;

  const login = await open(page, '/login');
  assert.equal(login.status(), 200);
  assert.equal(await lang(page), 'nb', 'a browser asking for nb-NO gets Norwegian');
  await rec.check(page, 'login');

  await signIn(page, THERAPIST);
  const secret = await enrolTotp(page, 'two-factor-setup');
  story.totpSecret = secret;
  assert.match(await text(page.locator('main .notice')), /Tofaktorinnlogging er slått på/);
  assert.match(await text(page.locator('dl.facts')), /Tofaktor\S* På/, 'the account page says two-factor is on');
  assert.equal(await page.locator('main a[href="/account/two-factor"]').count(), 0, 'and offers no set-up');
  await rec.check(page, 'account');

  // Sign out with the header's button.
  await follow(page, page.locator('header form[action="/logout"] button[type=submit]'));
  assert.equal(path(page), '/login');
  assert.equal(await page.locator('header nav').count(), 0, 'signed out: no menu');

  // Sign in again: now the second factor is asked for.
  await signIn(page, THERAPIST);
  assert.equal(path(page), '/login/two-factor');
  await rec.check(page, 'two-factor');

  await page.fill('#code', wrongCode(secret));
  const wrong = await follow(page, page.locator('form[action="/login/two-factor"] button[type=submit]'));
  assert.equal(wrong.status(), 401, 'a wrong code is refused with 401');
  assert.equal(path(page), '/login/two-factor');
  assert.match(await text(page.locator('.error[role=alert]')), /Koden er feil/);
  assert.equal(await page.getAttribute('#code', 'aria-describedby'), 'code-error');
  await rec.check(page, 'two-factor-wrong-code');

  // The code set-up used may not be used again, and the server allows one step of drift: the next step's code.
  await page.fill('#code', totp(secret, Date.now() / 1000 + 30));
  await follow(page, page.locator('form[action="/login/two-factor"] button[type=submit]'));
  assert.equal(path(page), '/dashboard', 'a right code signs the therapist in');
  assert.equal(await lang(page), 'nb');
  assert.match(await text(page.locator('header nav')), /I dag.*Klienter.*Henvendelser.*Konto/);
  assert.match(await text(page.locator('header .who')), /Tore Terapeut/);
  assert.equal(await page.locator('li.alert').count(), 0, 'no alerts yet');
  await rec.check(page, 'dashboard-empty');
});

// 2. The therapist creates a client, assigns a PCL-5 and a PHQ-9, and invites the client.

step('therapist: the other workspace pages (clients, inquiries, new client)', async () => {
  const page = therapist;
  assert.equal((await open(page, '/clients')).status(), 200);
  assert.equal(await page.getAttribute('header nav a[href="/clients"]', 'aria-current'), 'page');
  await rec.check(page, 'clients-empty');
  assert.equal((await open(page, '/inquiries')).status(), 200);
  await rec.check(page, 'inquiries');
  await follow(page, page.locator('header nav a[href="/clients"]'));
  await follow(page, page.locator('main a[href="/clients/new"]'));
  assert.equal(path(page), '/clients/new');
  await rec.check(page, 'client-new');
});

step('therapist: creates a client, assigns PCL-5 and PHQ-9, invites the client', async () => {
  const page = therapist;
  await page.fill('#name', CLIENT.name);
  await page.fill('#email', CLIENT.email);
  await page.selectOption('#preferred_language', 'en');
  await follow(page, page.locator('form[action="/clients/new"] button[type=submit]'));
  const m = path(page).match(/^\/clients\/([^/]+)$/);
  assert.ok(m, `creating a client leads to the client's page, not ${page.url()}`);
  story.clientId = m[1];
  assert.equal(await text(page.locator('main h1')), CLIENT.name);
  await rec.check(page, 'client-created');

  const assign = page.locator(`form[action="/clients/${story.clientId}/assessments"]`);
  for (const instrument of ['pcl-5', 'phq-9']) {
    await assign.locator('#instrument').selectOption(instrument);
    assert.ok(await assign.locator('#when-now').isChecked(), '"now" is the default');
    await follow(page, assign.locator('button[type=submit]'));
    assert.equal(path(page), `/clients/${story.clientId}`);
    await page.locator('main .notice[role=status]').waitFor();
  }
  const rows = await page.locator('#assessments tbody th[scope=row]').allInnerTexts();
  assert.deepEqual(rows.sort(), ['PCL-5', 'PHQ-9'], 'both questionnaires are assigned');
  await rec.check(page, 'client-assigned');

  await follow(page, page.locator(`form[action="/clients/${story.clientId}/invitation"] button[type=submit]`));
  const link = await page.getAttribute('a#invitation-link', 'href');
  assert.ok(link?.startsWith(`${BASE}/invite/`), `the invitation link is absolute (${link})`);
  story.invitation = link;
  await rec.check(page, 'client-invitation-link');
});

// 3. The client accepts, fills in the questionnaires, sees the crisis contacts and their chart.

step('client: accepts the invitation (a mismatched password is refused) and lands on the portal', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  client = await ctx.newPage();
  const page = client;
  const r = await open(page, story.invitation);
  assert.equal(r.status(), 200);
  assert.equal(await lang(page), 'en', 'a browser asking for en-GB gets English');
  assert.match(await text(page.locator('main')), /Kari Klient/);
  assert.match(await text(page.locator('main')), /E2E-praksis/);
  await rec.check(page, 'invitation');

  await page.fill('#password', CLIENT.password);
  await page.fill('#confirm', `${CLIENT.password}x`);
  const bad = await follow(page, page.locator('main form button[type=submit]'));
  assert.equal(bad.status(), 422, 'passwords that differ are refused');
  await page.locator('.error[role=alert]').waitFor();
  await rec.check(page, 'invitation-error');

  await page.fill('#password', CLIENT.password);
  await page.fill('#confirm', CLIENT.password);
  await follow(page, page.locator('main form button[type=submit]'));
  assert.equal(path(page), '/portal');
  assert.equal(await lang(page), 'en');
  await page.locator('main .notice[role=status]').waitFor();
  assert.match(await text(page.locator('header nav')), /My page.*Journal.*Account/);
  await rec.check(page, 'portal-due');

  const due = page.locator('section[aria-labelledby=due-h] a[href^="/portal/questionnaires/"]');
  assert.equal(await due.count(), 2, 'two questionnaires to fill in');
  for (const a of await due.all()) {
    const title = await a.innerText();
    const href = await a.getAttribute('href');
    if (/PCL-5/.test(title)) story.pcl5 = href;
    if (/PHQ-9/.test(title)) story.phq9 = href;
  }
  assert.ok(story.pcl5 && story.phq9, 'the list names the PCL-5 and the PHQ-9');

  // A client is no therapist.
  const forbidden = await open(page, '/dashboard');
  assert.equal(forbidden.status(), 403, 'a client gets 403 from the therapist dashboard');
  await rec.check(page, 'error-403');
});

/** The item keys of the questionnaire form on the page, in order. */
async function itemKeys(page) {
  return page.$$eval('form.questionnaire fieldset[id^="q-"]', (fs) => fs.map((f) => f.id.slice(2)));
}
const checkedRadios = (page) =>
  page.$$eval('form.questionnaire input[type=radio]:checked', (rs) => rs.map((r) => r.id).sort());

step('client: PCL-5 with an item left out is refused with a list of what is missing; then accepted', async () => {
  const page = client;
  await open(page, story.pcl5);
  const keys = await itemKeys(page);
  assert.deepEqual(keys, Array.from({ length: 20 }, (_, i) => String(i + 1)), 'PCL-5 items 1–20');
  await rec.check(page, 'pcl5-form');

  const value = (k) => Number(k) % 5; // 1,2,3,4,0,… : the total is 40
  const skipped = '7';
  const expected = [];
  for (const k of keys) {
    if (k === skipped) continue;
    await page.check(`#q-${k}-${value(k)}`);
    expected.push(`q-${k}-${value(k)}`);
  }
  const r = await follow(page, page.locator('form.questionnaire button[type=submit]'));
  assert.equal(r.status(), 422, 'an incomplete form is refused with 422');
  const error = page.locator('.error[role=alert]');
  await error.waitFor();
  assert.equal(await error.locator(`a[href="#q-${skipped}"]`).count(), 1, 'the error links to the missing item');
  assert.equal(await error.locator('a').count(), 1, 'only the missing item is listed');
  assert.match(await page.getAttribute(`#q-${skipped}`, 'class'), /missing/);
  assert.deepEqual(await checkedRadios(page), expected.sort(), 'every answer given is still checked');
  await rec.check(page, 'pcl5-form-error');

  // Following the error's link moves to the item.
  await error.locator(`a[href="#q-${skipped}"]`).click();
  await page.waitForURL(new RegExp(`#q-${skipped}$`));
  await page.check(`#q-${skipped}-${value(skipped)}`);
  const done = await follow(page, page.locator('form.questionnaire button[type=submit]'));
  assert.equal(done.status(), 200);
  assert.equal(await text(page.locator('main h1')), 'Thank you');
  assert.equal(await page.locator('.crisis').count(), 0, 'no crisis box after a PCL-5 (no item on self-harm)');
  await rec.check(page, 'pcl5-done');
  story.pcl5Total = keys.reduce((s, k) => s + value(k), 0);
});

step('client: PHQ-9 with item 9 = 2 shows the crisis contacts', async () => {
  const page = client;
  await open(page, '/portal');
  await follow(page, page.locator(`a[href="${story.phq9}"]`));
  const keys = await itemKeys(page);
  assert.deepEqual(keys.slice(0, 9), ['1', '2', '3', '4', '5', '6', '7', '8', '9'], 'PHQ-9 items 1–9');
  assert.equal(keys.length, 10, 'and the difficulty item');
  await rec.check(page, 'phq9-form');
  let total = 0;
  for (const k of keys.slice(0, 8)) {
    await page.check(`#q-${k}-1`);
    total += 1;
  }
  await page.check('#q-9-2');
  total += 2;
  await page.check(`#q-${keys[9]}-1`);
  story.phq9Total = total;
  const done = await follow(page, page.locator('form.questionnaire button[type=submit]'));
  assert.equal(done.status(), 200);
  assert.equal(await text(page.locator('main h1')), 'Thank you');
  const crisis = page.locator('main .crisis');
  await crisis.waitFor();
  const said = await text(crisis);
  for (const number of ['113', '116 123', '22 40 00 40']) assert.ok(said.includes(number), `the crisis box gives ${number}`);
  for (const tel of ['tel:113', 'tel:116123', 'tel:22400040']) {
    assert.equal(await crisis.locator(`a[href="${tel}"]`).count(), 1, `${tel} is a link`);
  }
  await rec.check(page, 'phq9-done-crisis');
});

step('client: the portal shows a chart for each questionnaire; the journal; the language switch', async () => {
  const page = client;
  await open(page, '/portal');
  assert.equal(await page.locator('section[aria-labelledby=due-h] a[href^="/portal/questionnaires/"]').count(), 0);
  const charts = page.locator('#progress svg.chart');
  assert.equal(await charts.count(), 2, 'a chart for the PCL-5 and one for the PHQ-9');
  for (const c of await charts.all()) {
    assert.equal(await c.getAttribute('role'), 'img');
    assert.ok((await c.locator(':scope > title').textContent()).length > 0, 'each chart has a title');
  }
  const totals = await page.locator('#progress td.num').allInnerTexts();
  assert.deepEqual(totals.sort(), [String(story.pcl5Total), String(story.phq9Total)].sort());
  await rec.check(page, 'portal-progress');

  await follow(page, page.locator('header nav a[href="/portal/journal"]'));
  assert.equal(path(page), '/portal/journal');
  await rec.check(page, 'journal');
  await page.fill('#body', 'Slept better this week. (e2e)');
  await page.check('#shared');
  await follow(page, page.locator('form[action="/portal/journal"] button[type=submit]'));
  assert.equal(path(page), '/portal/journal');
  assert.match(await text(page.locator('main')), /Slept better this week\. \(e2e\)/);

  // The language switch: Norwegian and back, for the client too.
  await switchLanguage(page, 'nb');
  assert.equal(path(page), '/portal/journal', 'the switch returns to the same page');
  assert.equal(await lang(page), 'nb');
  assert.match(await text(page.locator('header nav')), /Min side.*Dagbok.*Konto/);
  assert.equal(await page.getAttribute('form.lang-switch button[value=nb]', 'aria-pressed'), 'true');
  await rec.check(page, 'journal-nb');
  await switchLanguage(page, 'en');
  assert.equal(await lang(page), 'en');
  assert.match(await text(page.locator('header nav')), /My page.*Journal/);
});

// 4. The therapist sees the alert, the scores and the chart, and acknowledges the alert.

step('therapist: the dashboard shows the alert; the client page the scores, the charts and the journal', async () => {
  const page = therapist;
  await open(page, '/dashboard');
  const alert = page.locator('li.alert.alert-suicidal-ideation');
  assert.equal(await alert.count(), 1, 'one alert on the dashboard');
  assert.match(await text(alert), /Tanker om død eller selvskading er meldt/);
  assert.match(await text(alert), /PHQ-9/);
  await rec.check(page, 'dashboard-alert');

  await follow(page, alert.locator(`a[href="/clients/${story.clientId}"]`));
  assert.equal(path(page), `/clients/${story.clientId}`);
  assert.equal(await page.locator('#scores svg.chart').count(), 2, 'a chart per questionnaire');
  assert.equal(await page.locator('#scores table').count(), 2, 'a table of scores per questionnaire');
  const totals = await page.locator('#scores td.num').allInnerTexts();
  assert.deepEqual(totals.sort(), [String(story.pcl5Total), String(story.phq9Total)].sort());
  assert.equal(await page.locator('#alerts li.alert-suicidal-ideation').count(), 1);
  assert.match(await text(page.locator('section[aria-labelledby=journal-h]')), /Slept better this week/);
  await rec.check(page, 'client-scores-alert');

  await open(page, '/clients');
  const row = page.locator('tbody tr', { has: page.locator(`a[href="/clients/${story.clientId}"]`) });
  assert.equal(await row.count(), 1);
  assert.match(await text(row), /Ja/, 'the list says the client has a login');
  await rec.check(page, 'clients-list');
});

step('therapist: acknowledges the alert; it shows who acknowledged it, in both languages', async () => {
  const page = therapist;
  await open(page, `/clients/${story.clientId}`);
  const alert = page.locator('#alerts li.alert-suicidal-ideation');
  // The suicide-risk path: the alert is acknowledged only with a note of what was done.
  await alert.locator('textarea[name=action]').fill('Ringte klienten samme dag; laget sikkerhetsplan.');
  await follow(page, alert.locator('form[action^="/alerts/"][action$="/acknowledge"] button[type=submit]'));
  assert.equal(path(page), `/clients/${story.clientId}`);
  await page.locator('main .notice[role=status]').waitFor();
  assert.match(await text(alert), /kvittert ut av Tore Terapeut/);
  assert.match(await text(alert), /sikkerhetsplan/);
  assert.equal(await alert.locator('button').count(), 0, 'no button on an acknowledged alert');
  await rec.check(page, 'client-alert-acknowledged');

  // The language switch: English, then Norwegian again (the setting is kept with the account).
  await switchLanguage(page, 'en');
  assert.equal(path(page), `/clients/${story.clientId}`);
  assert.equal(await lang(page), 'en');
  assert.match(await text(page.locator('header nav')), /Today.*Clients.*Inquiries.*Account/);
  assert.match(await text(alert), /acknowledged by Tore Terapeut/);
  assert.equal(await page.getAttribute('form.lang-switch button[value=en]', 'aria-pressed'), 'true');
  await rec.check(page, 'client-alert-acknowledged-en');
  await switchLanguage(page, 'nb');
  assert.equal(await lang(page), 'nb');
  assert.match(await text(page.locator('header nav')), /I dag.*Klienter/);

  await open(page, '/dashboard');
  assert.equal(await page.locator('li.alert').count(), 0, 'no open alert left');
  const acknowledged = page.locator('main details', { hasText: 'Tore Terapeut' });
  assert.equal(await acknowledged.count(), 1, 'the acknowledged alert is listed with who acknowledged it');
  await acknowledged.locator('summary').click();
  assert.match(await text(acknowledged), /kvittert ut av Tore Terapeut/);
  await rec.check(page, 'dashboard-acknowledged');
});

step('not found: a client that does not exist gives the 404 page', async () => {
  const r = await open(therapist, '/clients/00000000-0000-0000-0000-000000000000');
  assert.equal(r.status(), 404);
  assert.match(r.headers()['content-type'], /^text\/html/);
  assert.equal(await text(therapist.locator('main h1')), 'Fant ikke siden');
  assert.equal(await lang(therapist), 'nb');
  await rec.check(therapist, 'not-found');
});

// An unknown address gets the same error page as any other refusal (the router's fallback sits inside the layer
// that renders error pages).
test('not found: an unknown address gives the 404 page (signed in and not)', {
  timeout: 30_000,
}, async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  try {
    const pages = [[await ctx.newPage(), 'not-found-unknown-anonymous', 'Not found']];
    if (therapist && !broken) pages.push([therapist, 'not-found-unknown', 'Fant ikke siden']);
    for (const [page, name, title] of pages) {
      const r = await open(page, '/finnes-ikke');
      assert.equal(r.status(), 404);
      assert.match(r.headers()['content-type'], /^text\/html/, `${name}: an HTML page, not ${r.headers()['content-type']}`);
      assert.equal(await text(page.locator('main h1')), title);
      await rec.check(page, name);
    }
  } finally {
    await ctx.close();
  }
});

// 5. The practice admin: TOTP set-up on the first sign-in, then the administration page.

step('admin: first sign-in sets up TOTP, then the administration page lists the users', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await signIn(page, ADMIN);
  await enrolTotp(page, 'admin-two-factor-setup');
  assert.match(await text(page.locator('main .notice')), /Two-factor sign-in is on/);
  await follow(page, page.locator('header nav a[href="/admin"]'));
  assert.equal(path(page), '/admin');
  const users = await text(page.locator('section[aria-labelledby=users-h] table'));
  for (const name of [ADMIN.name, THERAPIST.name]) assert.ok(users.includes(name), `the users table lists ${name}`);
  await rec.check(page, 'admin');
  await ctx.close();
});

// 6. What the pages told: accessibility, and the browser console.

test('accessibility: no serious or critical axe violation on any page visited', async (t) => {
  assert.ok(rec.pages.length > 0, 'pages were checked');
  const engine = rec.pages[0].engine;
  const all = rec.pages.flatMap((p) => p.violations);
  console.log(`# axe-core ${engine}: ${rec.pages.length} page states, ${all.length} violation(s) in all ` +
    `(${all.filter((v) => BLOCKING.has(v.impact)).length} serious or critical)`);
  for (const p of rec.pages) {
    await t.test(`axe: ${p.step} (${p.url}, lang ${p.lang})`, () => {
      const blocking = p.violations.filter((v) => BLOCKING.has(v.impact));
      assert.deepEqual(
        blocking.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`),
        [],
      );
    });
  }
});

test('no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
