// The public information site and its inquiry form, against a running ferd (started by run.sh on a fresh practice;
// run after flow.test.mjs and journey.test.mjs, which send no messages through the form):
//
//   every public page and article in every language (reached by following the site's own links from /nb/, /sv/ and
//   /en/) answers with a heading, a review date and its references, and links to itself in the other languages; the
//   article index lists its articles newest first (Swedish has none yet: its index says so); nothing is loaded from
//   another host; a message sent through the form in English reaches the therapist's inbox (a therapist of her own,
//   "Ingrid Innboks", whose workspace is in Norwegian) and is not in the database files in clear text; the spam
//   guards hold in a real browser (a form sent at once is sent back, a filled-in honeypot is told "sent" and nothing
//   is stored, bad input comes back with an error summary whose links lead to the fields); the Norwegian form speaks
//   Norwegian and the Swedish form Swedish.
//
// ferd stores at most five messages an hour from one network address, and every test here comes from 127.0.0.1:
// this file stores exactly three (the inquiry, the one sent again after "too quickly", the one fixed after its
// errors) and checks at the end that the inbox holds those three and nothing else.
//
// Every page visited is screenshotted into screenshots/site-NN-*.png and checked with axe-core (a serious or critical
// violation fails the run); screenshots/axe-report-site.json has every violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { env, storyline, path, lang, text, signIn, enrolTotp } from './lib/story.mjs';

const BASE = env('FERD_E2E_URL');
const ORIGIN = new URL(BASE).origin;
const DATA = env('FERD_E2E_DATA');
const INBOX = { email: env('FERD_E2E_INBOX_EMAIL'), password: env('FERD_E2E_INBOX_PASSWORD') };

const LANGS = ['nb', 'sv', 'en'];
const SLUGS = ['ptsd', 'mdma-assisted-therapy', 'evidence', 'risks', 'norway-and-alternatives', 'process', 'about',
  'privacy', 'contact'];
/** The built-in articles (each in bokmål and English), reached through the article index in the navigation. */
const ARTICLES = ['articles/mdma-therapy-after-the-fda-decision', 'articles/ketamine-psilocybin-mdma-legal-in-norway'];
/** The languages the built-in articles are written in; the others' index is empty for now. */
const ARTICLE_LANGS = ['nb', 'en'];
/** The referral directory's public page: a list built from the directory, not an article (no review date or references). */
const REFERRALS = 'referrals';
/** Every public page: the home page, each slug, the article index and the referral page in every language, and each
 * article. */
const EXPECTED = LANGS.flatMap((l) => [`/${l}/`, ...[...SLUGS, 'articles', REFERRALS].map((s) => `/${l}/${s}`),
  ...(ARTICLE_LANGS.includes(l) ? ARTICLES.map((s) => `/${l}/${s}`) : [])]);
const langOf = (p) => p.split('/')[1];
// Everything after the language: `ptsd`, or `evidence/prolonged-exposure` for a page below another.
const slugOf = (p) => p.split('/').slice(2).join('/');
const pageAt = (l, slug) => `/${l}/${slug}`;
/** A name for a page's screenshot: `en-home`, `nb-ptsd`. */
const shotName = (p) => `${langOf(p)}-${slugOf(p).replaceAll('/', '-') || 'home'}`;

/** The form is sent back when it comes sooner than 3 s after it was shown; the tests wait this long. */
const FILL_MS = 3_500;

/** A sender: a unique name and marker per run, so the inbox and the database files can be searched for them. */
function sender(label, language) {
  const id = randomUUID().slice(0, 8);
  const marker = `Marker-${randomUUID()}`;
  return {
    name: `Åse ${label} ${id}`,
    email: `ase.${label.toLowerCase()}.${id}@E2E.example.org`,
    phone: '+47 22 33 44 55',
    language,
    marker,
    // Several lines, quotes and markup: the inbox must show them as text.
    message: `Hei! Jeg lurer på om MDMA-assistert terapi kan passe for meg.\n${marker}\n`
      + '"Sitat" & <b>fet</b> — vennlig hilsen.',
  };
}
const MAIN = sender('Avsender', 'nb');
const FAST = sender('Rask', 'en');
const ROBOT = sender('Robot', 'en');
const FIXED = sender('Retting', 'en');
/** The messages that are stored (≤ 4 in all: ferd's limit is 5 an hour from one address). */
const STORED = [MAIN, FAST, FIXED];

let browser;
let rec;
let inboxPage; // the inbox therapist's page, signed in on first use (Norwegian)

before(async () => {
  rec = new Recorder({ prefix: 'site' });
  browser = await launch();
});
after(async () => {
  rec?.writeReport();
  await browser?.close();
});

const collapse = (s) => s.replace(/\s+/g, ' ').trim();
const submit = (page) => page.locator('form.inquiry-form button[type=submit]');

/**
 * Visits every page reachable from /nb/, /sv/ and /en/ through same-origin links under /nb/, /sv/ or /en/ (the language links
 * in the header among them), calling `visit(path, response)` on each; returns the paths in the order visited.
 */
async function crawl(page, visit) {
  const queue = LANGS.map((l) => `/${l}/`);
  const seen = new Set(queue);
  const visited = [];
  while (queue.length > 0) {
    const at = queue.shift();
    const response = await open(page, at);
    visited.push(at);
    await visit(at, response);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const u = new URL(href);
      // The articles' Atom feed is not a page (feedparser reads it in the Rust tests).
      if (u.origin !== ORIGIN || !/^\/(nb|sv|en)\//.test(u.pathname) || u.pathname.endsWith('/feed.xml')
        || seen.has(u.pathname)) continue;
      seen.add(u.pathname);
      queue.push(u.pathname);
    }
  }
  return visited;
}

/** Waits until `FILL_MS` have passed since `shownAt` (when the form's page had loaded). */
async function waitSince(shownAt) {
  const left = shownAt + FILL_MS - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

/** Fills in the inquiry form for `s`; the consent is ticked unless told otherwise. */
async function fillForm(page, s, { consent = true } = {}) {
  await page.fill('#name', s.name);
  await page.fill('#email', s.email);
  await page.fill('#phone', s.phone);
  await page.check(`input[name=language][value=${s.language}]`);
  await page.fill('#message', s.message);
  if (consent) await page.check('#consent');
}

/** Sends the form; asserts it was answered with 303 to the confirmation page of `l`, shown with 200. */
async function sendExpectingConfirmation(page, l) {
  const r = await follow(page, submit(page));
  const post = r.request().redirectedFrom();
  assert.ok(post, `the form is answered with a redirect, not ${r.status()} at ${page.url()}`);
  assert.equal(post.method(), 'POST');
  assert.equal((await post.response()).status(), 303);
  assert.equal(r.status(), 200);
  assert.equal(path(page), `/${l}/contact/sent`);
}

/** The confirmation page in English: what it must say, and that it does not repeat the message. */
async function checkConfirmation(page, s) {
  assert.equal(await lang(page), 'en');
  assert.equal(await text(page.locator('main h1')), 'Thank you, your message has been received');
  const body = await text(page.locator('body'));
  assert.match(body, /answer by e-mail within (one working day|\d+ working days)/, 'says when the answer comes');
  for (const number of ['113', '116117', '116123']) {
    assert.equal(await page.locator(`main a[href="tel:${number}"]`).count(), 1, `lists the crisis number ${number}`);
  }
  assert.match(body, /113.*116 117.*116 123/);
  assert.ok(!body.includes(s.marker), 'the confirmation page does not repeat the message');
  assert.ok(!(await page.content()).includes(s.marker), 'nor does its HTML');
}

/** The inbox therapist's /inquiries (signs in, with the two-factor set-up, the first time). */
async function inbox() {
  if (!inboxPage) {
    const ctx = await rec.context(browser, { locale: 'nb-NO' });
    const page = await ctx.newPage();
    await signIn(page, INBOX);
    await enrolTotp(page, rec, 'inbox-two-factor-setup');
    inboxPage = page;
  }
  const r = await open(inboxPage, '/inquiries');
  assert.equal(r.status(), 200);
  assert.equal(path(inboxPage), '/inquiries');
  assert.equal(await lang(inboxPage), 'nb', "the therapist's workspace is in Norwegian");
  assert.equal(await text(inboxPage.locator('main h1')), 'Henvendelser');
  return inboxPage;
}

/** The database file and its write-ahead log (while ferd runs), as bytes. */
function databaseBytes() {
  const files = ['ferd.db', 'ferd.db-wal'].map((f) => join(DATA, f)).filter((f) => existsSync(f));
  assert.ok(files.includes(join(DATA, 'ferd.db')), `${DATA}/ferd.db exists`);
  console.log(`# read ${files.map((f) => `${f} (${statSync(f).size} bytes)`).join(', ')}`);
  return Buffer.concat(files.map((f) => readFileSync(f)));
}
const holds = (bytes, s) => bytes.includes(Buffer.from(s, 'utf8'));

// ---------------------------------------------------------------------------------------------------------------
// 1. Every public page, in every language.

const CRAWL = { timeout: 300_000 };

test('pages: every public page in every language answers 200 with a heading, a review date (each entry\'s checked date on the referral page), references and its other languages', CRAWL, async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  const problems = [];
  const visited = await crawl(page, async (at, response) => {
    const l = langOf(at);
    const slug = slugOf(at);
    const problem = (what) => problems.push(`${at}: ${what}`);
    if (response?.status() !== 200) problem(`status ${response?.status()}`);
    if (path(page) !== at) problem(`ended at ${path(page)}`);
    if ((await lang(page)) !== l) problem(`<html lang="${await lang(page)}">`);
    const h1s = await page.locator('h1').allInnerTexts();
    if (h1s.length !== 1 || !h1s[0].trim()) problem(`h1: ${JSON.stringify(h1s)}`);
    if (!(await page.title()).trim()) problem('no <title>');
    if (slug === 'articles') {
      // The article index: a list of dated articles, newest first, and no review date or references of its own.
      const dates = await page.locator('main ol.article-list > li time[datetime]').evaluateAll(
        (ts) => ts.map((t) => t.getAttribute('datetime')));
      const wanted = ARTICLE_LANGS.includes(l) ? ARTICLES.length : 0;
      if (dates.length !== wanted) problem(`the index lists ${dates.length} articles, not ${wanted}`);
      if (dates.join() !== [...dates].sort().reverse().join()) problem(`not newest first: ${dates.join(', ')}`);
    }
    const reviewed = page.locator('main .reviewed time[datetime]');
    if (slug === 'articles') {
      if ((await reviewed.count()) !== 0) problem('the index has a review date of its own');
    } else if (slug === REFERRALS) {
      // A list built from the directory: each entry has the date it was last checked, instead of a review date.
      const entries = page.locator('main article.referral');
      for (let i = 0; i < (await entries.count()); i += 1) {
        const checked = entries.nth(i).locator('time.checked[datetime]');
        const dt = (await checked.count()) === 1 ? await checked.getAttribute('datetime') : null;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(dt ?? '')) problem(`entry ${i + 1} has no checked date`);
      }
    } else if ((await reviewed.count()) !== 1) {
      problem('no "Last reviewed" <time>');
    } else {
      const dt = await reviewed.getAttribute('datetime');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dt ?? '')) problem(`review date ${dt}`);
      if (!(await text(reviewed))) problem('the review date is empty');
    }
    const refs = page.locator('section.references li[id^="ref-"]');
    if (slug !== 'articles' && slug !== REFERRALS && (await refs.count()) === 0) problem('no references');
    // A citation in the text (#ref-…) or any other link within the page leads to something on it.
    const dangling = await page.$$eval('a[href^="#"]', (as) =>
      as.map((a) => a.getAttribute('href').slice(1)).filter((id) => id && !document.getElementById(id)));
    if (dangling.length > 0) problem(`links to missing anchors: ${dangling.join(', ')}`);
    // The language links lead to the same page in each language; the current one says so.
    for (const other of LANGS) {
      const a = page.locator(`header .site-lang a[hreflang="${other}"]`);
      if ((await a.count()) !== 1) {
        problem(`no language link to ${other}`);
        continue;
      }
      const href = await a.getAttribute('href');
      // An article not written in that language: the switch leads to that language's article index instead.
      const untranslated = slug.startsWith('articles/') && !ARTICLE_LANGS.includes(other);
      const wanted = untranslated ? pageAt(other, 'articles') : pageAt(other, slug);
      if (href !== wanted) problem(`the ${other} link goes to ${href}, not ${wanted}`);
      const current = await a.getAttribute('aria-current');
      if ((other === l) !== (current === 'true')) problem(`the ${other} link has aria-current=${current}`);
    }
    await rec.check(page, shotName(at));
  });
  console.log(`# ${visited.length} public pages: ${visited.join(' ')}`);
  assert.deepEqual(EXPECTED.filter((p) => !visited.includes(p)), [], 'every page is reached through the links');
  assert.deepEqual(problems, []);
});

test('pages: / sends an anonymous visitor to the home page in the language of the browser', async () => {
  for (const [locale, l] of [['nb-NO', 'nb'], ['sv-SE', 'sv'], ['en-GB', 'en']]) {
    const ctx = await rec.context(browser, { locale });
    const page = await ctx.newPage();
    const r = await open(page, '/');
    assert.equal(r.status(), 200);
    assert.equal(path(page), `/${l}/`, `a ${locale} browser is sent to /${l}/`);
    assert.equal(await lang(page), l);
    await ctx.close();
  }
});

test('pages: /sitemap.xml lists every public page in every language, at this address', async () => {
  const ctx = await rec.context(browser);
  const r = await ctx.request.get('/sitemap.xml');
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /xml/);
  const locs = [...(await r.text()).matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(locs.filter((u) => !u.startsWith(`${ORIGIN}/`)), [], 'every address is absolute, at ferd');
  // An article index without articles (Swedish, for now) is a page but not indexed.
  const indexed = EXPECTED.filter((p) => slugOf(p) !== 'articles' || ARTICLE_LANGS.includes(langOf(p)));
  assert.deepEqual(locs.map((u) => new URL(u).pathname).sort(), [...indexed].sort());
  await ctx.close();
});

// 2. Nothing from another host.

test('privacy: no request leaves ferd while every public page is shown and the form is sent', CRAWL, async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const requests = [];
  ctx.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  const page = await ctx.newPage();
  const visited = await crawl(page, async () => {});
  assert.deepEqual(EXPECTED.filter((p) => !visited.includes(p)), []);
  // The form, sent (empty, after the wait, so nothing is stored), and the confirmation page in every language.
  await open(page, '/en/contact');
  await waitSince(Date.now());
  const r = await follow(page, submit(page));
  assert.equal(r.status(), 422);
  for (const l of LANGS) assert.equal((await open(page, `/${l}/contact/sent`)).status(), 200);
  await open(page, '/');

  assert.ok(requests.some((r) => r.startsWith(`POST ${ORIGIN}/en/contact`)), 'the form was sent');
  assert.ok(requests.some((r) => r === `GET ${ORIGIN}/static/ferd.css`), 'the style sheet was requested');
  const elsewhere = [...new Set(requests.filter((r) => new URL(r.split(' ')[1]).origin !== ORIGIN))];
  console.log(`# ${requests.length} requests, ${elsewhere.length} to another host`);
  assert.deepEqual(elsewhere, [], `every request goes to ${ORIGIN}`);
  await ctx.close();
});

// 3. The Norwegian form (nothing is stored).

test('contact (nb): the form speaks Norwegian; sent at once it is sent back, sent empty the errors are Norwegian', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  const page = await ctx.newPage();
  assert.equal((await open(page, '/nb/contact')).status(), 200);
  assert.equal(await lang(page), 'nb');
  const label = (id) => text(page.locator(`form.inquiry-form label[for="${id}"]`));
  assert.equal(await label('name'), 'Navnet ditt');
  assert.equal(await label('email'), 'E-postadressen din');
  assert.equal(await label('phone'), 'Telefonnummer (valgfritt)');
  assert.equal(await label('message'), 'Meldingen din');
  assert.match(await label('consent'), /^Jeg samtykker i å bli kontaktet/);
  assert.equal(await text(page.locator('form.inquiry-form fieldset legend')), 'Hvilket språk vil du ha svar på?');
  assert.equal(await page.isChecked('input[name=language][value=nb]'), true, 'Norwegian is chosen already');
  assert.equal(await text(submit(page)), 'Send meldingen');

  // At once: sent back, before the fields are looked at.
  let r = await follow(page, submit(page));
  assert.equal(r.status(), 422);
  assert.match(await text(page.locator('#form-problem')), /^Skjemaet ble sendt svært kort tid/);
  assert.equal(await page.locator('.field-error').count(), 0);

  // Empty, after the wait: every required field is named, in Norwegian.
  await waitSince(Date.now());
  r = await follow(page, submit(page));
  assert.equal(r.status(), 422);
  assert.equal(path(page), '/nb/contact');
  assert.equal(await page.locator('#form-problem').count(), 0);
  const summary = page.locator('.error-summary#form-errors');
  assert.equal(await text(summary.locator('#form-errors-h')), '4 ting må rettes før meldingen kan sendes:');
  const links = await summary.locator('a').evaluateAll((as) =>
    as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
  assert.deepEqual(links, [
    ['#name', 'Navnet ditt: skriv navnet du vil bli kalt.'],
    ['#email', 'E-postadressen din: skriv adressen svaret skal sendes til.'],
    ['#message', 'Meldingen din: skriv noen ord om hva du vil spørre om.'],
    ['#consent', 'Samtykke: kryss av i boksen for å samtykke i å bli kontaktet og i at meldingen lagres, ellers kan '
      + 'den ikke sendes.'],
  ]);
  for (const id of ['name', 'email', 'message', 'consent']) {
    assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'true', `#${id} is marked invalid`);
    assert.match(await text(page.locator(`#${id}-error.field-error`)), /\S/, `#${id} has its error beside it`);
  }
  assert.equal(await page.getAttribute('#phone', 'aria-invalid'), 'false');
  await rec.check(page, 'nb-contact-errors');
  await ctx.close();
});

// 3b. The Swedish form (nothing is stored).

test('contact (sv): the form speaks Swedish, Swedish is chosen for the answer, and sent empty the errors are Swedish', async () => {
  const ctx = await rec.context(browser, { locale: 'sv-SE' });
  const page = await ctx.newPage();
  assert.equal((await open(page, '/sv/contact')).status(), 200);
  assert.equal(await lang(page), 'sv');
  const label = (id) => text(page.locator(`form.inquiry-form label[for="${id}"]`));
  assert.equal(await label('name'), 'Ditt namn');
  assert.equal(await label('email'), 'Din e-postadress');
  assert.equal(await label('phone'), 'Telefonnummer (frivilligt)');
  assert.equal(await label('message'), 'Ditt meddelande');
  assert.equal(await text(page.locator('form.inquiry-form fieldset legend')), 'På vilket språk vill du ha svar?');
  assert.equal(await page.isChecked('input[name=language][value=sv]'), true, 'Swedish is chosen already');
  assert.equal(await text(submit(page)), 'Skicka meddelandet');
  // The crisis numbers for readers in Sweden, beside the Norwegian ones, in the page and in the footer.
  const body = await text(page.locator('body'));
  for (const number of ['113', '112', '1177', '90101']) assert.ok(body.includes(number), `lists ${number}`);

  await waitSince(Date.now());
  const r = await follow(page, submit(page));
  assert.equal(r.status(), 422);
  assert.equal(path(page), '/sv/contact');
  const summary = page.locator('.error-summary#form-errors');
  assert.equal(await text(summary.locator('#form-errors-h')), '4 saker behöver rättas innan meddelandet kan skickas:');
  const links = await summary.locator('a').evaluateAll((as) =>
    as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
  assert.deepEqual(links.map(([href]) => href), ['#name', '#email', '#message', '#consent']);
  assert.equal(links[0][1], 'Ditt namn: skriv det namn du vill bli kallad.');
  await rec.check(page, 'sv-contact-errors');
  await ctx.close();
});

// 4. The inquiry, end to end: sent in English, read in the (Norwegian) inbox, encrypted at rest.

const step = storyline();
let visitor; // the sender's page, English

step('inquiry (en): every field filled in, sent after 3 s; the confirmation does not repeat the message', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  visitor = await ctx.newPage();
  const page = visitor;
  assert.equal((await open(page, '/en/contact')).status(), 200);
  const shownAt = Date.now();
  assert.equal(await lang(page), 'en');
  assert.equal(await text(submit(page)), 'Send the message');
  assert.equal(await page.isChecked('input[name=language][value=en]'), true, 'English is chosen already');
  await rec.check(page, 'en-contact');
  await fillForm(page, MAIN);
  await waitSince(shownAt);
  await sendExpectingConfirmation(page, 'en');
  await checkConfirmation(page, MAIN);
  await rec.check(page, 'en-contact-sent');
});

step("inquiry: the therapist's inbox (Norwegian) shows the sender, the message as text, and the consent", async () => {
  const page = await inbox();
  const card = page.locator('article.inquiry', { hasText: MAIN.marker });
  assert.equal(await card.count(), 1, 'the message is in the inbox once');
  assert.match(await text(card.locator('h2')), new RegExp(`^${MAIN.name} Ny$`));
  const facts = await text(card.locator('p.muted').first());
  assert.ok(facts.includes(MAIN.email.toLowerCase()), `the e-mail address is shown (${facts})`);
  assert.ok(facts.includes(MAIN.phone), `the phone number is shown (${facts})`);
  assert.match(facts, /· nb$/, 'the language asked for is shown');
  assert.match(await text(card), /Samtykket til kontakt og lagring/, 'the consent is shown');
  const quote = card.locator('blockquote.message');
  assert.equal(await text(quote), collapse(MAIN.message), 'the message, decrypted, as it was written');
  assert.equal(await quote.locator('b').count(), 0, 'markup in a message is shown as text');
  await rec.check(page, 'inbox');
});

step('inquiry: the database files hold the sender’s name in clear text, but not the message', () => {
  const bytes = databaseBytes();
  assert.ok(holds(bytes, MAIN.name), 'the name is stored in clear text (so these are the right files)');
  assert.ok(!holds(bytes, MAIN.marker), 'the message is not in the database files in clear text');
});

// 5. The spam guards, in a browser.

test('spam guard: a form sent at once comes back ("very quickly") with everything kept; sent again after 3 s it is received', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await open(page, '/en/contact');
  const shownAt = Date.now();
  await fillForm(page, FAST);
  let r = await follow(page, submit(page));
  const took = Date.now() - shownAt;
  console.log(`# filled in and sent ${took} ms after the page was shown`);
  assert.ok(took < 2_500, `filled in and sent within ${took} ms of the page being shown (must be well under 3 s)`);
  assert.equal(r.status(), 422);
  assert.equal(path(page), '/en/contact');
  assert.match(await text(page.locator('.error-summary#form-problem[role=alert]')), /^The form was sent very quickly/);
  assert.equal(await page.inputValue('#message'), FAST.message, 'the message is kept');
  assert.equal(await page.inputValue('#name'), FAST.name);
  assert.equal(await page.inputValue('#email'), FAST.email);
  assert.equal(await page.inputValue('#phone'), FAST.phone);
  assert.equal(await page.isChecked(`input[name=language][value=${FAST.language}]`), true);
  assert.equal(await page.isChecked('#consent'), true);
  await rec.check(page, 'en-contact-too-fast');

  await waitSince(Date.now());
  await sendExpectingConfirmation(page, 'en');
  await checkConfirmation(page, FAST);
  await ctx.close();
});

test('spam guard: a filled-in honeypot is answered with the confirmation, and nothing reaches the inbox', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await open(page, '/en/contact');
  const shownAt = Date.now();
  const honeypot = page.locator('#website');
  assert.equal(await honeypot.getAttribute('name'), 'website');
  const box = await honeypot.boundingBox();
  assert.ok(!box || box.x + box.width <= 0 || box.y + box.height <= 0, `the honeypot is off-screen (${JSON.stringify(box)})`);
  await fillForm(page, ROBOT);
  await honeypot.fill('http://spam.example', { force: true });
  assert.equal(await honeypot.inputValue(), 'http://spam.example');
  await waitSince(shownAt);
  await sendExpectingConfirmation(page, 'en');
  await checkConfirmation(page, ROBOT);
  await ctx.close();

  const inboxText = await text((await inbox()).locator('main'));
  assert.ok(!inboxText.includes(ROBOT.marker), "the robot's message is not in the inbox");
  assert.ok(!inboxText.includes(ROBOT.name), "nor is the robot's name");
});

test('bad input: no name, a wrong e-mail, no consent: 422 with a summary linking to the fields, everything kept; fixed, it is received', async () => {
  const ctx = await rec.context(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await open(page, '/en/contact');
  let shownAt = Date.now();
  await page.fill('#email', 'not-an-address');
  await page.fill('#phone', FIXED.phone);
  await page.fill('#message', FIXED.message);
  await waitSince(shownAt);
  const r = await follow(page, submit(page));
  shownAt = Date.now();
  assert.equal(r.status(), 422);
  assert.equal(path(page), '/en/contact');
  const summary = page.locator('.error-summary#form-errors[role=alert]');
  // The summary comes first in the page, above the contact text, where a reader lands when the form comes back.
  assert.equal(
    await page.evaluate(() => {
      const s = document.querySelector('#form-errors');
      const h1 = document.querySelector('main h1');
      return Boolean(s && h1 && s.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING);
    }),
    true,
    'the error summary precedes the page heading',
  );
  assert.equal(await text(summary.locator('#form-errors-h')), '3 things need fixing before the message can be sent:');
  const links = await summary.locator('a').evaluateAll((as) =>
    as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
  assert.deepEqual(links.map(([href]) => href), ['#name', '#email', '#consent']);
  assert.match(links[0][1], /^Your name:/);
  assert.match(links[1][1], /^Your e-mail address: this does not look like an e-mail address/);
  assert.match(links[2][1], /^Consent:/);
  for (const id of ['name', 'email', 'consent']) {
    assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'true', `#${id} is marked invalid`);
    assert.match(await text(page.locator(`#${id}-error.field-error`)), /\S/, `#${id} has its error beside it`);
    assert.match(await page.getAttribute(`#${id}`, 'aria-describedby'), new RegExp(`\\b${id}-error\\b`));
  }
  for (const id of ['message', 'phone']) assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'false');
  assert.equal(await page.inputValue('#email'), 'not-an-address', 'the e-mail address typed is kept');
  assert.equal(await page.inputValue('#phone'), FIXED.phone);
  assert.equal(await page.inputValue('#message'), FIXED.message, 'the message is kept');
  await rec.check(page, 'en-contact-errors');

  await summary.locator('a[href="#email"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'the error link moves the focus to the field');

  await page.fill('#name', FIXED.name);
  await page.fill('#email', FIXED.email);
  await page.check(`input[name=language][value=${FIXED.language}]`);
  await page.check('#consent');
  await waitSince(shownAt);
  await sendExpectingConfirmation(page, 'en');
  await checkConfirmation(page, FIXED);
  await ctx.close();
});

// 6. What was stored, all told.

test('stored: the inbox holds exactly the three messages received, and no message is in the database in clear text', async () => {
  const page = await inbox();
  const cards = page.locator('article.inquiry');
  const all = await text(page.locator('main'));
  assert.equal(await cards.count(), STORED.length,
    'one card per message received (sent at once, dropped as a robot\'s or refused for errors: none stored)');
  for (const s of STORED) assert.equal(await cards.filter({ hasText: s.marker }).count(), 1, `${s.name}'s message`);
  assert.ok(!all.includes(ROBOT.marker));

  const bytes = databaseBytes();
  for (const s of STORED) assert.ok(holds(bytes, s.name), `${s.name} is in the database`);
  assert.ok(!holds(bytes, ROBOT.name), "the robot's form stored nothing, not even the name");
  for (const s of [...STORED, ROBOT]) assert.ok(!holds(bytes, s.marker), `${s.name}'s message is not in clear text`);
});

// 7. What the pages told: accessibility, and the browser console.

test('site accessibility: no serious or critical axe violation on any page visited', async (t) => {
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

test('site: no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
