// The referral directory, against a running ferd (started by run.sh on a fresh practice; needs nothing from the
// other files):
//
//   a therapist of her own who also administers the practice ("Randi Referanse", browser nb-NO) signs in with the
//   two-factor set-up; on /referrals adds ferd's suggested places in one action (they arrive internal and "needs
//   checking"), finds that a place cannot be made public before it is checked, marks Kirkens SOS checked today and
//   makes it public; adds a place of her own through the form, first with a web address that is not one (422, the
//   error summary's link leads to the field, what she typed is kept); creates a client and, from the client's page,
//   refers the client on with a reason, which the client's page then lists. The public page in both languages
//   (anonymous) shows exactly the public, checked places, each with the date it was last checked, says it is the
//   practice's own list and no endorsement, and lists the crisis numbers; the Østfold study (unverified, unchecked)
//   is not on it.
//
// Every page visited is screenshotted into screenshots/referrals-NN-*.png and checked with axe-core (a serious or
// critical violation fails the run); screenshots/axe-report-referrals.json has every violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { env, storyline, path, lang, text, signIn, enrolTotp, osloDate } from './lib/story.mjs';

const GUIDE = {
  email: env('FERD_E2E_REFERRALS_EMAIL'),
  password: env('FERD_E2E_REFERRALS_PASSWORD'),
  name: 'Randi Referanse',
};
const CLIENT = { name: 'Sigurd Henvist' };
const OWN_PLACE = 'Traumeterapeut Eksempel, Moss';
const REASON = 'Trenger traumefokusert behandling før noe annet; henvist med samtykke.';

const step = storyline();
let browser;
let rec;
let guide; // the guide's page, Norwegian
const story = {};

before(async () => {
  rec = new Recorder({ prefix: 'referrals' });
  browser = await launch();
});
after(async () => {
  rec?.writeReport();
  await browser?.close();
});

/** The directory's card for the place named `name`. */
const card = (page, name) => page.locator('article.referral-place', { has: page.locator(`h3:has-text("${name}")`) });

step('guide: signs in with the two-factor set-up and finds the referral directory in the menu', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  guide = await ctx.newPage();
  await signIn(guide, GUIDE);
  await enrolTotp(guide, rec, 'guide-two-factor-setup');
  await follow(guide, guide.locator('header nav a[href="/referrals"]'));
  assert.equal(path(guide), '/referrals');
  assert.equal(await lang(guide), 'nb');
  assert.equal(await text(guide.locator('main h1')), 'Henvisningsoversikt');
  assert.match(await text(guide.locator('main')), /mer enn tolv måneder siden/, 'the page states the rule');
  await rec.check(guide, 'directory-empty');
});

step("guide: adds ferd's suggested places in one action; they arrive internal and needing a check", async () => {
  await follow(guide, guide.locator('form[action="/referrals/suggestions"] button[type=submit]'));
  assert.equal(path(guide), '/referrals');
  const cards = guide.locator('article.referral-place');
  assert.ok((await cards.count()) >= 5, 'the suggestions are listed');
  assert.equal(await guide.locator('article.referral-place .tag.urgent').count(), await cards.count(),
    'every suggested place needs checking');
  const study = card(guide, 'Sykehuset Østfold: studie av MDMA-assistert terapi for PTSD');
  assert.match(await text(study), /Ikke bekreftet/, 'the unverified study says what is not verified');
  assert.equal(await guide.locator('form[action="/referrals/suggestions"]').count(), 0, 'nothing more to add');
  await rec.check(guide, 'directory-suggested');
});

step('guide: a place cannot be made public before it is checked; checked today, it can', async () => {
  const sos = card(guide, 'Kirkens SOS');
  let r = await follow(guide, sos.locator('form[action$="/visibility"] button[type=submit]'));
  assert.equal(r.status(), 422);
  assert.match(await text(guide.locator('#page-error')), /Kirkens SOS kan bare være offentlig/);
  await rec.check(guide, 'publish-refused');
  r = await follow(guide, card(guide, 'Kirkens SOS').locator('form[action$="/checked"] button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.match(await text(guide.locator('main .notice')), /sjekket i dag/);
  await follow(guide, card(guide, 'Kirkens SOS').locator('form[action$="/visibility"] button[type=submit]'));
  const after = card(guide, 'Kirkens SOS');
  assert.match(await text(after), /Vises på den offentlige siden/);
  assert.equal(await after.locator(`time[datetime="${osloDate()}"]`).count(), 1, "today's check is shown");
});

step('guide: adds a place through the form; a bad web address comes back naming the field, with the text kept', async () => {
  await follow(guide, guide.locator('main a[href="/referrals/new"]'));
  assert.equal(path(guide), '/referrals/new');
  await rec.check(guide, 'place-new');
  await guide.fill('#name', OWN_PLACE);
  await guide.selectOption('#kind', 'therapist');
  await guide.fill('#offers_nb', 'Traumeterapi (EMDR og eksponering) for voksne.');
  await guide.fill('#offers_en', 'Trauma therapy (EMDR and exposure) for adults.');
  await guide.check('#lang-nb');
  await guide.check('#lang-en');
  await guide.fill('#region', 'Moss');
  await guide.fill('#web', 'terapeut.example.org');
  await guide.fill('#checked_on', osloDate());
  await guide.check('#visibility-public');
  const r = await follow(guide, guide.locator('form.referral-form button[type=submit]'));
  assert.equal(r.status(), 422);
  const summary = guide.locator('#form-errors');
  assert.match(await text(summary), /Nettadresse/);
  await summary.locator('a[href="#web"]').click();
  assert.equal(await guide.evaluate(() => document.activeElement?.id), 'web', 'the link leads to the field');
  assert.equal(await guide.inputValue('#name'), OWN_PLACE, 'what was typed is kept');
  assert.equal(await guide.getAttribute('#web', 'aria-invalid'), 'true');
  await rec.check(guide, 'place-new-error');
  await guide.fill('#web', 'https://terapeut.example.org');
  await follow(guide, guide.locator('form.referral-form button[type=submit]'));
  assert.equal(path(guide), '/referrals');
  assert.match(await text(card(guide, OWN_PLACE)), /Vises på den offentlige siden/);
  await rec.check(guide, 'directory-with-own-place');
});

step('guide: creates a client and refers them on from the client page, which then lists the referral', async () => {
  await open(guide, '/clients/new');
  await guide.fill('#name', CLIENT.name);
  await follow(guide, guide.locator('form[action="/clients/new"] button[type=submit]'));
  const m = path(guide).match(/^\/clients\/([^/]+)$/);
  assert.ok(m, `creating a client leads to the client's page, not ${guide.url()}`);
  story.clientId = m[1];
  await follow(guide, guide.locator(`#referrals a[href="/clients/${story.clientId}/refer"]`));
  assert.equal(path(guide), `/clients/${story.clientId}/refer`);
  assert.equal(await text(guide.locator('main h1')), `Henvis ${CLIENT.name} videre`);
  await rec.check(guide, 'refer-form');
  // Without a reason: sent back, naming the field.
  await guide.selectOption('#place', { label: OWN_PLACE });
  let r = await follow(guide, guide.locator('form.refer-form button[type=submit]'));
  assert.equal(r.status(), 422);
  assert.equal(await guide.locator('#form-errors a[href="#reason"]').count(), 1);
  await rec.check(guide, 'refer-form-error');
  await guide.fill('#reason', REASON);
  r = await follow(guide, guide.locator('form.refer-form button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.equal(path(guide), `/clients/${story.clientId}`);
  const listed = await text(guide.locator('#referrals'));
  assert.ok(listed.includes(OWN_PLACE) && listed.includes(REASON), listed);
  assert.ok(listed.includes(GUIDE.name), 'by whom');
  await rec.check(guide, 'client-referred');
});

for (const l of ['nb', 'en']) {
  step(`public (${l}): only the public, checked places, each with its checked date, and the crisis numbers`, async () => {
    const ctx = await rec.context(browser, { locale: l === 'nb' ? 'nb-NO' : 'en-GB' });
    const page = await ctx.newPage();
    try {
      const r = await open(page, `/${l}/referrals`);
      assert.equal(r.status(), 200);
      assert.equal(await lang(page), l);
      const entries = page.locator('article.referral');
      const names = (await entries.locator('h3').allInnerTexts()).map((s) => s.trim()).sort();
      assert.deepEqual(names, ['Kirkens SOS', OWN_PLACE].sort());
      for (let i = 0; i < (await entries.count()); i += 1) {
        const when = entries.nth(i).locator('time.checked[datetime]');
        assert.equal(await when.count(), 1, 'every entry has its checked date');
        assert.equal(await when.getAttribute('datetime'), osloDate());
      }
      const body = await text(page.locator('main'));
      assert.match(body, l === 'nb' ? /praksisens egen liste/ : /the practice's own list/);
      assert.match(body, l === 'nb' ? /ingen anbefaling/ : /not an endorsement/);
      assert.ok(!body.includes('Østfold'), 'the unchecked study is not public');
      for (const number of ['113', '116117', '116123', '22400040']) {
        assert.ok((await page.locator(`main a[href="tel:${number}"]`).count()) >= 1, `lists ${number}`);
      }
      // Reached from the footer of the home page.
      await open(page, `/${l}/`);
      await follow(page, page.locator(`footer a[href="/${l}/referrals"]`));
      assert.equal(path(page), `/${l}/referrals`);
      await rec.check(page, `public-${l}`);
    } finally {
      await ctx.close();
    }
  });
}

// What the pages told: accessibility, and the browser console.

test('referrals accessibility: no serious or critical axe violation on any page visited', async (t) => {
  assert.ok(rec.pages.length > 0, 'pages were checked');
  const all = rec.pages.flatMap((p) => p.violations);
  console.log(`# axe-core ${rec.pages[0].engine}: ${rec.pages.length} page states, ${all.length} violation(s) in all ` +
    `(${all.filter((v) => BLOCKING.has(v.impact)).length} serious or critical)`);
  for (const p of rec.pages) {
    await t.test(`axe: ${p.step} (${p.url}, lang ${p.lang})`, () => {
      const blocking = p.violations.filter((v) => BLOCKING.has(v.impact));
      assert.deepEqual(
        blocking.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target}: ${n.html}`).join(' | ')}`),
        [],
      );
    });
  }
});

test('referrals: no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
