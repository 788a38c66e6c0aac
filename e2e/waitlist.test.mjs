// The full-practice switch end to end, against a running ferd (started by run.sh on a fresh practice; needs nothing
// from the other files, and runs last because it closes the whole practice for a while):
//
//   an admin of its own ("Vilde Venteliste", nb-NO) signs in with the two-factor set-up and closes the practice to
//   new clients on the administration page; a visitor (en-GB) finds the home, process and contact pages saying so,
//   with the referral directory's link, and the contact form turned into "Join the waitlist" with a preferred
//   therapist; the visitor joins and the confirmation page is their status page ("number N of N"); a therapist of
//   his own ("Viggo Venter", nb-NO) sees the waitlist on the dashboard, opens the list and takes the visitor into
//   intake, landing on the new client's page; the visitor's status page then says it is their turn; the admin opens
//   the practice again and the ordinary form is back. If a step fails, the practice is opened again at the end.
//
// Every page visited is screenshotted into screenshots/waitlist-NN-*.png and checked with axe-core (a serious or
// critical violation fails the run); screenshots/axe-report-waitlist.json has every violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { env, storyline, path, lang, text, signIn, enrolTotp } from './lib/story.mjs';

const ADMIN = {
  email: env('FERD_E2E_WAITLIST_ADMIN_EMAIL'),
  password: env('FERD_E2E_WAITLIST_ADMIN_PASSWORD'),
  name: 'Vilde Venteliste',
};
const THERAPIST = {
  email: env('FERD_E2E_WAITLIST_THERAPIST_EMAIL'),
  password: env('FERD_E2E_WAITLIST_THERAPIST_PASSWORD'),
  name: 'Viggo Venter',
};
/** The visitor: a unique marker per run, so nothing of another run's is mistaken for theirs. */
const RUN = Date.now().toString(36);
const VISITOR = {
  name: `Walter Waitlist ${RUN}`,
  email: `walter.${RUN}@e2e.example.org`,
  message: `I would like to start when there is room. ${RUN}`,
};
/** The form is sent back if it comes sooner than 3 s after it was shown (as people never do). */
const FILL_MS = 3_500;
const FULL_EN = 'We are not taking new clients at the moment';

const step = storyline();
let browser;
let rec;
let admin; // the admin's page, Norwegian
let visitor; // the visitor's page, English
let therapist; // the therapist's page, Norwegian
const story = { closed: false, reopened: false, statusUrl: null };

before(async () => {
  rec = new Recorder({ prefix: 'waitlist' });
  browser = await launch();
});
after(async () => {
  // A failed step must not leave the practice closed for whoever uses it next.
  if (admin && story.closed && !story.reopened) {
    try {
      await open(admin, '/admin');
      if (await admin.locator('#open-practice').count()) await follow(admin, admin.locator('#open-practice'));
    } catch (e) {
      console.log(`# could not open the practice again: ${e.message}`);
    }
  }
  rec?.writeReport();
  await browser?.close();
});

/** The capacity section's words on the administration page. */
const capacityState = (page) => text(page.locator('#capacity-state'));

// ---------------------------------------------------------------------------------------------------------------
// 1. The admin closes the practice.

step('admin: signs in (two-factor set-up) and closes the practice to new clients', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  admin = await ctx.newPage();
  const page = admin;
  await signIn(page, ADMIN);
  await enrolTotp(page, rec, 'admin-two-factor-setup');
  await follow(page, page.locator('header nav a[href="/admin"]'));
  assert.equal(path(page), '/admin');
  assert.match(await capacityState(page), /^Praksisen tar imot nye klienter/);
  const therapists = await text(page.locator('#capacity table'));
  assert.ok(therapists.includes(THERAPIST.name), 'the capacity table lists the therapists');
  assert.ok(!therapists.includes(ADMIN.name), 'an admin is not a therapist');
  await rec.check(page, 'admin-capacity-open');
  const r = await follow(page, page.locator('#close-practice'));
  assert.equal(r.status(), 200);
  story.closed = true;
  assert.equal(path(page), '/admin');
  assert.match(await text(page.locator('main .notice[role=status]')), /stengt for nye klienter/);
  assert.match(await capacityState(page), /^Praksisen er full/);
  assert.equal(await page.locator('#open-practice').count(), 1);
  await rec.check(page, 'admin-capacity-closed');
});

// ---------------------------------------------------------------------------------------------------------------
// 2. The public site says so; the visitor joins the waitlist.

step('visitor: the home, process and contact pages say the practice is full and offer the waitlist and referrals', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  visitor = await ctx.newPage();
  const page = visitor;
  for (const p of ['/en/', '/en/process']) {
    assert.equal((await open(page, p)).status(), 200);
    const notice = page.locator('section.full-notice');
    assert.equal(await text(notice.locator('.full-notice-title')), FULL_EN, `${p} says the practice is full`);
    assert.equal(await notice.locator('a[href="/en/referrals"]').count(), 1, `${p} links to the referral directory`);
    assert.equal(await notice.locator('a[href="/en/contact#waitlist-form-h"]').count(), 1, `${p} offers the waitlist`);
  }
  await rec.check(page, 'home-full');
  // A page a newcomer does not pass on the way to writing stays as it is.
  await open(page, '/en/about');
  assert.equal(await page.locator('section.full-notice').count(), 0);

  assert.equal((await open(page, '/en/contact')).status(), 200);
  assert.equal(await lang(page), 'en');
  assert.equal(await text(page.locator('section.full-notice .full-notice-title')), FULL_EN);
  assert.equal(await text(page.locator('#waitlist-form-h')), 'Join the waitlist');
  assert.ok(await page.locator('main a[href="/en/referrals"]').count() >= 1, 'the referral directory is offered');
  assert.equal(await text(page.locator('form.inquiry-form button[type=submit]')), 'Join the waitlist');
  const options = await page.locator('#therapist option').allTextContents();
  assert.equal(options[0], 'No preference');
  assert.ok(options.includes(THERAPIST.name), 'the therapists are offered as a preference');
  assert.ok(!options.includes(ADMIN.name), 'an admin is not offered');
  await rec.check(page, 'contact-full');
});

step('visitor: joins the waitlist; the confirmation is their own status page with their place', async () => {
  const page = visitor;
  await open(page, '/en/contact');
  const shownAt = Date.now();
  await page.fill('#name', VISITOR.name);
  await page.fill('#email', VISITOR.email);
  await page.check('input[name=language][value=en]');
  await page.selectOption('#therapist', { label: THERAPIST.name });
  await page.fill('#message', VISITOR.message);
  await page.check('#consent');
  const left = shownAt + FILL_MS - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
  const r = await follow(page, page.locator('form.inquiry-form button[type=submit]'));
  assert.equal(r.status(), 200);
  assert.match(path(page), /^\/en\/waitlist\/status\/[A-Za-z0-9_-]{43}$/, 'the confirmation is the status page');
  assert.match(await text(page.locator('main .notice[role=status]')), /^Thank you\. You are on the waitlist of /);
  const shownLink = await page.locator('a.status-link').getAttribute('href');
  assert.equal(new URL(shownLink).pathname, path(page), 'the page shows its own address to keep');
  const place = await text(page.locator('#waitlist-place'));
  const m = place.match(/^You are number (\d+) of (\d+) on the waitlist\.$/);
  assert.ok(m, place);
  assert.equal(m[1], m[2], 'the newest joins at the end of the list');
  assert.ok(!(await page.content()).includes(VISITOR.message), 'the message is not repeated');
  assert.equal(await page.locator('form[action$="/leave"] button').count(), 1, 'a way to leave the list');
  story.statusUrl = path(page);
  story.place = Number(m[1]);
  await rec.check(page, 'status-joined');
});

// ---------------------------------------------------------------------------------------------------------------
// 3. The therapist sees the waitlist and takes the visitor into intake.

step('therapist: the dashboard shows the waitlist; the list shows the visitor, who is taken into intake', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  therapist = await ctx.newPage();
  const page = therapist;
  await signIn(page, THERAPIST);
  await enrolTotp(page, rec, 'therapist-two-factor-setup');
  await follow(page, page.locator('header nav a[href="/dashboard"]'));
  const card = page.locator('section#waitlist');
  assert.ok(Number(await text(card.locator('h2 .count'))) >= 1, 'the dashboard counts who waits');
  assert.match(await text(card.locator('.waitlist-oldest')), /^Den som har ventet lengst, har ventet \d+ dag(er)?\.$/);
  assert.match(await text(card), /Praksisen er full/);
  await rec.check(page, 'dashboard-waitlist');

  await follow(page, page.locator('header nav a[href="/waitlist"]'));
  assert.equal(path(page), '/waitlist');
  const entry = page.locator('article.waitlist-entry', { hasText: VISITOR.name });
  assert.equal(await entry.count(), 1, 'the visitor is on the list');
  assert.match(await text(entry), new RegExp(`ønsker ${THERAPIST.name}`));
  assert.match(await text(entry), /English/);
  await rec.check(page, 'waitlist');
  if (story.place === 1) {
    // First in line: taken without a reason.
    await follow(page, entry.locator('form[action$="/take"] button'));
  } else {
    // Someone waited longer (another run's visitor): out of order, with a reason.
    await entry.locator('details summary', { hasText: 'Ta inn før' }).click();
    await entry.locator('textarea[name=reason]').first().fill('Ønsket Viggo, som har plass nå.');
    await follow(page, entry.locator('form[action$="/take"] button'));
  }
  assert.match(path(page), /^\/clients\//, 'a therapist lands on the new client');
  assert.match(await text(page.locator('main .notice[role=status]')), /tatt inn og er nå klient/);
  assert.ok((await text(page.locator('main h1'))).includes(VISITOR.name));
  await rec.check(page, 'client-from-waitlist');
});

step("visitor: the status page now says it is the visitor's turn", async () => {
  const page = visitor;
  assert.equal((await open(page, story.statusUrl)).status(), 200);
  assert.match(await text(page.locator('#waitlist-place')), /^It is your turn: .* has taken you into intake/);
  assert.equal(await page.locator('form[action$="/leave"]').count(), 0, 'nothing to leave any more');
  await rec.check(page, 'status-moved');
});

// ---------------------------------------------------------------------------------------------------------------
// 4. The admin opens the practice again; the ordinary form is back.

step('admin: opens the practice again; the contact page has the ordinary form back', async () => {
  const page = admin;
  await open(page, '/admin');
  await follow(page, page.locator('#open-practice'));
  story.reopened = true;
  assert.match(await capacityState(page), /^Praksisen tar imot nye klienter/);
  await open(visitor, '/en/contact');
  assert.equal(await visitor.locator('section.full-notice').count(), 0);
  assert.equal(await visitor.locator('#therapist').count(), 0);
  assert.equal(await text(visitor.locator('form.inquiry-form button[type=submit]')), 'Send the message');
  await open(visitor, '/en/');
  assert.equal(await visitor.locator('section.full-notice').count(), 0);
  await rec.check(visitor, 'contact-open-again');
});

// ---------------------------------------------------------------------------------------------------------------
// 5. What the pages told: accessibility and the browser console.

test('waitlist accessibility: no serious or critical axe violation on any page visited', async (t) => {
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

test('waitlist: no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
