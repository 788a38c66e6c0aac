// The journey through the safety screening, end to end, against a running ferd (started by run.sh on a fresh
// practice; run after flow.test.mjs):
//
//   intake → findings → clearance → schedule. A therapist (a clinician of her own, "Lise Lege", so this story needs
//   nothing from flow.test.mjs) plans an MDMA-AT journey for a new client and invites her; the client fills in the
//   health form in the portal (an MAOI, Aurorix, and high blood pressure); the therapist sees the findings with
//   their sources; the safety gates hold (no preparation and no medicine session without a signed clearance, no
//   medicine session before the preparation is held); a named clinician's clearance opens them; the medicine session
//   is booked at an external clinic.
//
// The therapist's browser speaks Norwegian (nb-NO), the client's English (en-GB); the client page is seen in English
// once at the end. Every page visited is screenshotted into screenshots/journey-NN-*.png and checked with axe-core
// (a serious or critical violation fails the run); screenshots/axe-report-journey.json has every violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { env, storyline, path, lang, text, signIn, enrolTotp, osloDate } from './lib/story.mjs';

const BASE = env('FERD_E2E_URL');
const CLINICIAN = {
  email: env('FERD_E2E_CLINICIAN_EMAIL'),
  password: env('FERD_E2E_CLINICIAN_PASSWORD'),
  name: env('FERD_E2E_CLINICIAN_NAME'),
};
const CLIENT = { name: 'Jonas Journey', email: 'jonas@e2e.example.org', password: 'et langt nok passord 2025?' };
const CLINIC = 'Sykehuset Østfold';
const RESPONSIBLE = 'Overlege Ola Nordmann';

const step = storyline();
let browser;
let rec;
let therapist; // page, Norwegian
let client; // page, English
const story = {};

before(async () => {
  rec = new Recorder({ prefix: 'journey' });
  browser = await launch();
});
after(async () => {
  rec?.writeReport();
  await browser?.close();
});

const clientPage = () => `/clients/${story.clientId}`;
/** The form that moves the journey to a phase (the other forms to the same address pause, complete, …). */
const moveForm = (page) => page.locator('#journey form', { has: page.locator('#phase-select') });
/** Moves the journey to `phase` with the phase form; returns the response. */
async function moveTo(page, phase) {
  const form = moveForm(page);
  await form.locator('#phase-select').selectOption(phase);
  return follow(page, form.locator('button[type=submit]'));
}
/** The journey's facts (the definition list in #journey) as { term: value }. */
async function journeyFacts(page) {
  return page.$$eval('#journey dl.facts dt', (dts) =>
    Object.fromEntries(dts.map((dt) => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()])));
}
/** Fills in the medicine-session form and submits it; returns the response. */
async function bookMedicine(page, date) {
  const form = page.locator('#medicine form');
  await form.locator('#med-date').fill(date);
  await form.locator('#med-time').fill('09:00');
  await form.locator('#med-duration').fill('480');
  await form.locator('#med-clinic').fill(CLINIC);
  await form.locator('#med-responsible').fill(RESPONSIBLE);
  await form.locator('#med-referral').fill('Henvist 2. mai; kontakt: poliklinikken (e2e)');
  return follow(page, form.locator('button[type=submit]'));
}
/** The session articles in #sessions whose heading names `kind` (as the page says it). */
const sessionsOf = (page, kind) =>
  page.locator('#sessions article.session', { has: page.locator('h3', { hasText: kind }) });

// ---------------------------------------------------------------------------------------------------------------
// 1. The therapist signs in (two-factor set-up on the first sign-in), creates the client, invites her and plans
//    the journey.

step('therapist: signs in (two-factor set-up), creates a client with an e-mail and invites her', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  therapist = await ctx.newPage();
  const page = therapist;
  await signIn(page, CLINICIAN);
  await enrolTotp(page, rec, 'two-factor-setup');
  assert.equal(await lang(page), 'nb');
  assert.match(await text(page.locator('header .who')), new RegExp(CLINICIAN.name));

  assert.equal((await open(page, '/clients/new')).status(), 200);
  await page.fill('#name', CLIENT.name);
  await page.fill('#email', CLIENT.email);
  await page.selectOption('#preferred_language', 'en');
  await follow(page, page.locator('form[action="/clients/new"] button[type=submit]'));
  const m = path(page).match(/^\/clients\/([^/]+)$/);
  assert.ok(m, `creating a client leads to the client's page, not ${page.url()}`);
  story.clientId = m[1];
  assert.equal(await text(page.locator('main h1')), CLIENT.name);
  assert.match(await text(page.locator('#screening')), /har ikke sendt skjemaet/, 'no screening yet');

  await follow(page, page.locator(`form[action="${clientPage()}/invitation"] button[type=submit]`));
  const link = await page.getAttribute('a#invitation-link', 'href');
  assert.ok(link?.startsWith(`${BASE}/invite/`), `the invitation link is absolute (${link})`);
  story.invitation = link;
  await rec.check(page, 'client-invited');
});

step('therapist: starts an MDMA-AT journey; the planned sessions are listed, no medicine session among them', async () => {
  const page = therapist;
  // A new client is at intake already (an open journey without sessions); the start form is folded away.
  assert.match(await text(page.locator('#journey li[aria-current=step]')), /Inntak/);
  assert.equal(await sessionsOf(page, '').count(), 0, 'no sessions yet');
  const form = page.locator(`form[action="${clientPage()}/journey/start"]`);
  assert.equal(await form.isVisible(), false);
  await page.locator('#journey details > summary').click();
  await form.waitFor({ state: 'visible' });
  await form.locator('#protocol').selectOption('mdma-at');
  // Recorded after the fact: the intake was five weeks ago, so the preparation sessions lie in the past when they
  // are marked held below.
  await form.locator('#start_date').fill(osloDate(-35));
  await form.locator('#weekdays_only').check();
  const r = await follow(page, form.locator('button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.equal(path(page), clientPage(), 'the start redirects back to the client page');
  assert.match(await text(page.locator('main .notice[role=status]')), /Forløpet er planlagt etter protokollen/);

  const current = page.locator('#journey ol.timeline li[aria-current=step]');
  assert.match(await text(current), /Inntak/, 'the journey starts at intake');
  const facts = await journeyFacts(page);
  assert.match(facts.Protokoll, /MDMA-assistert terapi/);
  assert.equal(facts.Klarering, 'Ikke registrert ennå');
  assert.equal(facts['Forberedende timer gjennomført'], '0 / 3');

  assert.equal(await sessionsOf(page, 'Inntak').count(), 1, 'one intake session');
  assert.equal(await sessionsOf(page, 'Forberedelse').count(), 3, 'three preparation sessions');
  assert.equal(await sessionsOf(page, 'Integrering').count(), 9, 'three integration sessions per medicine session');
  assert.equal(await sessionsOf(page, 'Medisinsesjon').count(), 0, 'medicine sessions are booked separately');
  assert.match(await text(page.locator('#medicine')), /Ingen kliniker har signert klareringen/,
    'the medicine section says why it cannot be booked yet');
  await rec.check(page, 'journey-started');
});

// 2. The client accepts the invitation and fills in the health form.

step('client: accepts the invitation, fills in the health form (Aurorix, high blood pressure)', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  client = await ctx.newPage();
  const page = client;
  assert.equal((await open(page, story.invitation)).status(), 200);
  assert.equal(await lang(page), 'en');
  await page.fill('#password', CLIENT.password);
  await page.fill('#confirm', CLIENT.password);
  await follow(page, page.locator('main form button[type=submit]'));
  assert.equal(path(page), '/portal');
  await rec.check(page, 'portal');

  await follow(page, page.locator('main a[href="/portal/intake"]'));
  assert.equal(path(page), '/portal/intake');
  assert.equal(await text(page.locator('main h1')), 'Health form for the safety screening');
  await rec.check(page, 'intake-form');

  await page.fill('#med-0', 'Aurorix 150 mg');
  assert.equal(await page.getAttribute('#med-0-stopped', 'type'), 'date');
  await page.check('input[name=condition][value=hypertension]');
  await page.fill('#age', '41');
  await page.fill('#blood_pressure', '128/82');
  // Issue 9: psychosis and bipolar disorder in the closest family, and the client's own episodes.
  await page.check('#family-yes');
  await page.check('#fam-sibling-bipolar');
  await page.check('#psychosis-no');
  await page.check('#mania-no');
  const r = await follow(page, page.locator('form[action="/portal/intake"] button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.equal(path(page), '/portal');
  assert.match(await text(page.locator('main .notice[role=status]')), /Your health form is sent/);
  await rec.check(page, 'intake-sent');
});

// 3. The therapist sees the findings; the gates hold until a clinician signs the clearance.

step('therapist: the findings name Aurorix as an exclusion, with the source', async () => {
  const page = therapist;
  await open(page, clientPage());
  const screening = page.locator('#screening article.screening');
  assert.equal(await screening.count(), 1, 'one screening');
  const exclusion = screening.locator('tr.severity-exclusion');
  assert.equal(await exclusion.count(), 1, 'one exclusion');
  const row = await text(exclusion);
  assert.match(row, /Utelukkende/);
  assert.match(row, /Aurorix 150 mg/);
  assert.match(row, /\(maoi\)/, 'the rule is named');
  assert.match(await text(exclusion.locator('td').last()), /Vuori et al\. 2003/, 'the source is given');
  const caution = screening.locator('tr.severity-caution', { hasText: 'hypertension' });
  assert.equal(await caution.count(), 1, 'high blood pressure is a caution');
  assert.match(await text(caution.locator('td').last()), /MAPP2/);
  const family = screening.locator('tr.severity-clearance-required', { hasText: 'sibling:bipolar' });
  assert.equal(await family.count(), 1, 'bipolar disorder in a sibling needs a clinician\'s clearance');
  assert.match(await text(family), /et søsken har hatt bipolar lidelse/);
  assert.match(await text(family.locator('td').last()), /NCT02243813/, 'the trial protocols are named');
  assert.equal(await screening.locator('form[action$="/clearance"]').count(), 1, 'no decision yet: the form');
  await rec.check(page, 'findings');
});

step('therapist: screening is allowed; preparation and a medicine session are refused without clearance', async () => {
  const page = therapist;
  let r = await moveTo(page, 'screening');
  assert.equal(r.status(), 200);
  assert.equal(path(page), clientPage());
  assert.match(await text(page.locator('main .notice[role=status]')), /Forløpet er flyttet/);
  assert.match(await text(page.locator('#journey li[aria-current=step]')), /Sikkerhetsvurdering/);

  r = await moveTo(page, 'preparation');
  assert.equal(r.status(), 422, 'moving to preparation without clearance is refused with 422');
  const error = page.locator('#page-error[role=alert]');
  assert.match(await text(error), /Ingen kliniker har signert klareringen/);
  assert.match(await text(page.locator('#journey li[aria-current=step]')), /Sikkerhetsvurdering/, 'nothing moved');
  await rec.check(page, 'preparation-refused');

  r = await bookMedicine(page, osloDate(7));
  assert.equal(r.status(), 422, 'booking a medicine session without clearance is refused with 422');
  assert.match(await text(page.locator('#page-error[role=alert]')), /Ingen kliniker har signert klareringen/);
  assert.equal(await sessionsOf(page, 'Medisinsesjon').count(), 0, 'nothing was booked');
  await rec.check(page, 'medicine-refused');
});

step('therapist: records the clearance; the decision names the clinician', async () => {
  const page = therapist;
  await open(page, clientPage());
  const form = page.locator('#screening form[action$="/clearance"]');
  await form.locator('input[name=decision][value=cleared]').check();
  await form.locator('textarea[name=comment]').fill(
    'Aurorix trappet ned og seponert etter avtale med fastlegen; to ukers utvaskingstid. Blodtrykket er behandlet og stabilt.');
  const r = await follow(page, form.locator('button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.equal(path(page), clientPage());
  assert.match(await text(page.locator('main .notice[role=status]')), /Beslutningen er registrert i ditt navn/);
  const screening = page.locator('#screening article.screening');
  assert.match(await text(screening), new RegExp(`Klarert — av ${CLINICIAN.name}`));
  assert.match(await text(screening), /Aurorix trappet ned/);
  assert.equal(await screening.locator('form').count(), 0, 'a decided screening has no form');
  assert.equal((await journeyFacts(page)).Klarering, 'Signert av kliniker');
  await rec.check(page, 'cleared');
});

step('therapist: preparation is allowed; a medicine session waits for the preparation to be held', async () => {
  const page = therapist;
  let r = await moveTo(page, 'preparation');
  assert.equal(r.status(), 200);
  assert.match(await text(page.locator('#journey li[aria-current=step]')), /Forberedelse/);

  r = await bookMedicine(page, osloDate(7));
  assert.equal(r.status(), 422, 'no medicine session before the preparation is held');
  assert.match(await text(page.locator('#page-error[role=alert]')), /0 av 3 forberedende timer er gjennomført/);
  await rec.check(page, 'medicine-refused-preparation');

  await open(page, clientPage());
  // Each session has a form to /sessions/{id} with its status select (`status-{id}`).
  const ids = (await sessionsOf(page, 'Forberedelse').locator('select[name=status]').evaluateAll((ss) => ss.map((s) => s.id)))
    .map((id) => id.slice('status-'.length));
  assert.equal(ids.length, 3);
  for (const id of ids) {
    const form = page.locator(`form[action="/sessions/${id}"]`, { has: page.locator(`#status-${id}`) });
    await form.locator(`#status-${id}`).selectOption('held');
    await follow(page, form.locator('button[type=submit]'));
    assert.equal(path(page), clientPage());
    assert.match(await text(page.locator('main .notice[role=status]')), /Timen er lagret/);
  }
  for (const id of ids) assert.equal(await page.inputValue(`#status-${id}`), 'held');
  assert.equal((await journeyFacts(page))['Forberedende timer gjennomført'], '3 / 3');
  await rec.check(page, 'preparation-held');
});

step('therapist: books the medicine session at the clinic; the session list shows it', async () => {
  const page = therapist;
  const date = osloDate(7);
  const r = await bookMedicine(page, date);
  assert.equal(r.status(), 200);
  assert.equal(path(page), clientPage());
  assert.match(await text(page.locator('main .notice[role=status]')), /Medisinsesjonen er booket/);
  const medicine = sessionsOf(page, 'Medisinsesjon');
  assert.equal(await medicine.count(), 1, 'one medicine session');
  assert.match(await text(medicine), /Planlagt/);
  assert.match(await text(medicine), /480 minutter/);
  assert.equal(await page.locator('#page-error').count(), 0);
  await rec.check(page, 'medicine-booked');

  // The same page in English, once.
  await follow(page, page.locator('form.lang-switch button[name=lang][value=en]'));
  assert.equal(path(page), clientPage());
  assert.equal(await lang(page), 'en');
  const screening = page.locator('#screening article.screening');
  assert.match(await text(screening.locator('tr.severity-exclusion')), /Exclusion.*Aurorix 150 mg/);
  assert.match(await text(screening), new RegExp(`Cleared — by ${CLINICIAN.name}`));
  assert.match(await text(page.locator('#journey li[aria-current=step]')), /Preparation/);
  assert.equal(await sessionsOf(page, 'Medicine session').count(), 1);
  await rec.check(page, 'medicine-booked-en');
});

// 4. What the pages told: accessibility, and the browser console.

test('journey accessibility: no serious or critical axe violation on any page visited', async (t) => {
  assert.ok(rec.pages.length > 0, 'pages were checked');
  const all = rec.pages.flatMap((p) => p.violations);
  console.log(`# axe-core ${rec.pages[0].engine}: ${rec.pages.length} page states, ${all.length} violation(s) in all ` +
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

test('journey: no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
