// The outcome report and the public evidence page, against a running ferd (started by run.sh on a fresh practice;
// needs nothing from the other files):
//
//   a therapist of its own ("Rolf Rapport", browser nb-NO) signs in with the two-factor set-up and finds the report
//   empty; creates three clients, gives each two PCL-5s and invites them; each client (en-GB) accepts and fills in
//   both (60 → 20, 50 → 30, 40 → 35: mean change −21.7); the report then draws the practice beside the trial arms
//   (the practice's diamond in the forest plot), the PCL-5 histogram, the caveat, the PCL-5 table and the trial
//   arms of MAPP1 and MAPP2; the CSV and JSON downloads give the same numbers; the page is seen in English and at
//   the width of a phone; the text of every chart is checked for overlaps. The public page comparing MDMA-assisted
//   therapy with prolonged exposure (both languages, anonymous) has its two forest plots and its references. A
//   client gets 403 from the report, an anonymous visitor is sent to /login.
//
// Every page visited is screenshotted into screenshots/report-NN-*.png and checked with axe-core (a serious or
// critical violation fails the run); screenshots/axe-report-report.json has every violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Recorder, follow, open, BLOCKING } from './lib/browser.mjs';
import { env, storyline, path, lang, text, signIn, enrolTotp } from './lib/story.mjs';

const BASE = env('FERD_E2E_URL');
const THERAPIST = {
  email: env('FERD_E2E_REPORT_EMAIL'),
  password: env('FERD_E2E_REPORT_PASSWORD'),
  name: 'Rolf Rapport',
};
/** The clients and their two PCL-5 totals (first, then latest). */
const CLIENTS = [
  { name: 'Anna Analyse', email: 'anna.analyse@e2e.example.org', totals: [60, 20] },
  { name: 'Bjørn Baseline', email: 'bjorn.baseline@e2e.example.org', totals: [50, 30] },
  { name: 'Cecilie Chart', email: 'cecilie.chart@e2e.example.org', totals: [40, 35] },
];
const CLIENT_PASSWORD = 'et langt nok passord for rapporten 2025';
/** What the report must say about them. */
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const EXPECT = {
  clients: CLIENTS.length,
  baseline: mean(CLIENTS.map((c) => c.totals[0])), // 50
  latest: mean(CLIENTS.map((c) => c.totals[1])), // 28.33
  change: mean(CLIENTS.map((c) => c.totals[1] - c.totals[0])), // −21.67
};
/** A phone's viewport (an iPhone 12–15's CSS pixels). */
const PHONE = { width: 390, height: 844 };

const step = storyline();
let browser;
let rec;
let therapist; // page, Norwegian until switched to English
let client; // the last client's page, English
const story = { clients: [], chartsChecked: 0 };

before(async () => {
  rec = new Recorder({ prefix: 'report' });
  browser = await launch();
});
after(async () => {
  rec?.writeReport();
  await browser?.close();
});

/** PCL-5 answers (20 items, 0–4) adding up to `total`: the same value everywhere, the remainder one higher. */
function answersFor(total) {
  const base = Math.floor(total / 20);
  const extra = total - base * 20;
  return Array.from({ length: 20 }, (_, i) => base + (i < extra ? 1 : 0));
}
/** A number as the page writes it: a minus sign, a decimal comma in Norwegian. */
function shown(x, decimals, l) {
  const s = x.toFixed(decimals).replace('-', '−');
  return l === 'nb' ? s.replace('.', ',') : s;
}
/** A table of `th scope=row` / `td` pairs as { heading: value }. */
async function rowsOf(table) {
  return table.locator('tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()])));
}
/** Parses a CSV without quoted fields (the report has none) into objects by the header's names. */
function parseCsv(body) {
  const [head, ...lines] = body.trim().split('\n');
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

/**
 * Where the text of the page's charts collides: two texts whose boxes overlap, a text that runs outside its chart,
 * and in a forest plot a row's text that runs into a drawn mark (an interval, a marker, a grid line). Boxes are the
 * rendered ones (transforms applied); a text's box spans the font's whole ascent and descent, so it is trimmed by
 * 15 % of its height above and below (about where the glyphs of digits and capitals end) and by a pixel at the
 * sides, so that touching is not overlapping.
 */
async function chartCollisions(page, selector) {
  const where = `${path(page)} (${await lang(page)}, ${page.viewportSize()?.width} px)`;
  const problems = await page.$$eval(selector, (svgs) => {
    const problems = [];
    const box = (el) => {
      const r = el.getBoundingClientRect();
      const trim = r.height * 0.15;
      return { l: r.left + 1, r: r.right - 1, t: r.top + trim, b: r.bottom - trim };
    };
    const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
    const name = (el) => JSON.stringify(el.textContent.trim().slice(0, 60));
    for (const svg of svgs) {
      const id = svg.querySelector(':scope > title')?.id ?? svg.getAttribute('class');
      const frame = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim());
      const boxes = texts.map(box);
      texts.forEach((t, i) => {
        const b = boxes[i];
        if (b.l < frame.left - 1 || b.r > frame.right + 1 || b.t < frame.top - 1 || b.b > frame.bottom + 1) {
          problems.push(`${id}: ${name(t)} runs outside the chart`);
        }
        for (let j = i + 1; j < texts.length; j += 1) {
          if (meets(b, boxes[j])) problems.push(`${id}: ${name(t)} overlaps ${name(texts[j])}`);
        }
      });
      // A forest plot's row text against the marks drawn in the plot area.
      const rowTexts = [...svg.querySelectorAll('g.forest-rows text')];
      const marks = [...svg.querySelectorAll('g.forest-rows line, g.forest-rows rect, g.forest-rows polygon, '
        + 'g.forest-grid line, line.forest-zero')];
      for (const t of rowTexts) {
        const b = box(t);
        const hit = marks.find((m) => {
          const r = m.getBoundingClientRect();
          return b.l < r.right && r.left < b.r && b.t < r.bottom && r.top < b.b;
        });
        if (!hit) continue;
        const cls = hit.getAttribute('class') ?? hit.parentElement.getAttribute('class');
        // Positions in the chart's own units (its viewBox), which is what ferd's geometry is written in.
        const unit = (px) => Math.round((px - frame.left) * (svg.viewBox.baseVal.width / frame.width));
        problems.push(`${id}: ${name(t)} (x ${unit(b.l - 1)}–${unit(b.r + 1)} in the viewBox) runs into the plot: `
          + `a ${hit.tagName} of ${cls} at x ${unit(hit.getBoundingClientRect().left)}`);
      }
    }
    return problems;
  });
  return problems.map((p) => `${where}: ${p}`);
}
/** Every collision seen in a chart, checked at the end (so that a chart's layout does not stop the story). */
const collisions = [];

/** The rendered size of the charts' 14-unit text on the page as it is now, in CSS pixels: { id: px }. */
async function chartTextPx(page, selector) {
  return page.$$eval(selector, (svgs) => Object.fromEntries(svgs.map((svg) => {
    const vb = svg.viewBox.baseVal;
    const px = (svg.getBoundingClientRect().width / vb.width) * Number(svg.getAttribute('font-size') || 14);
    return [svg.querySelector(':scope > title')?.id ?? '?', Math.round(px * 10) / 10];
  })));
}

/** How far the page scrolls sideways (0 when it fits the viewport). */
const sidewaysScroll = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// ---------------------------------------------------------------------------------------------------------------
// 1. The therapist signs in (two-factor set-up); the report is empty.

step('therapist: signs in (two-factor set-up); the report is empty but for the trials and the downloads', async () => {
  const ctx = await rec.context(browser, { locale: 'nb-NO' });
  therapist = await ctx.newPage();
  const page = therapist;
  await signIn(page, THERAPIST);
  await enrolTotp(page, rec, 'two-factor-setup');
  assert.equal(await lang(page), 'nb');
  assert.match(await text(page.locator('header .who')), new RegExp(THERAPIST.name));

  const nav = page.locator('header nav a[href="/report"]');
  assert.equal(await text(nav), 'Resultater', 'the menu links to the report');
  await follow(page, nav);
  assert.equal(path(page), '/report');
  assert.equal(await page.getAttribute('header nav a[href="/report"]', 'aria-current'), 'page');
  assert.equal(await text(page.locator('main h1')), 'Resultater');
  assert.match(await text(page.locator('main')), /Ingen klient har svart på et skjema ennå/);
  assert.equal(await page.locator('svg.chart').count(), 0, 'no chart without responses');
  assert.match(await text(page.locator('section[aria-labelledby=trials-h]')), /MAPP1.*MAPP2/,
    'the trials are shown even before any response');
  await rec.check(page, 'empty');
});

// 2. Three clients, each given two PCL-5s and invited.

step('therapist: creates three clients, assigns each the PCL-5 twice, and invites them', async () => {
  const page = therapist;
  for (const c of CLIENTS) {
    assert.equal((await open(page, '/clients/new')).status(), 200);
    await page.fill('#name', c.name);
    await page.fill('#email', c.email);
    await page.selectOption('#preferred_language', 'en');
    await follow(page, page.locator('form[action="/clients/new"] button[type=submit]'));
    const m = path(page).match(/^\/clients\/([^/]+)$/);
    assert.ok(m, `creating ${c.name} leads to the client's page, not ${page.url()}`);
    const id = m[1];
    assert.equal(await text(page.locator('main h1')), c.name);

    const assign = page.locator(`form[action="/clients/${id}/assessments"]`);
    for (let i = 0; i < 2; i += 1) {
      await assign.locator('#instrument').selectOption('pcl-5');
      assert.ok(await assign.locator('#when-now').isChecked(), '"now" is the default');
      await follow(page, assign.locator('button[type=submit]'));
      assert.equal(path(page), `/clients/${id}`);
      await page.locator('main .notice[role=status]').waitFor();
    }
    const rows = await page.locator('#assessments tbody th[scope=row]').allInnerTexts();
    assert.deepEqual(rows, ['PCL-5', 'PCL-5'], 'two PCL-5s are assigned');

    await follow(page, page.locator(`form[action="/clients/${id}/invitation"] button[type=submit]`));
    const link = await page.getAttribute('a#invitation-link', 'href');
    assert.ok(link?.startsWith(`${BASE}/invite/`), `the invitation link is absolute (${link})`);
    story.clients.push({ ...c, id, invitation: link });
  }
  await rec.check(page, 'client-invited');
});

// 3. Each client accepts and fills in both PCL-5s.

step('clients: each accepts the invitation and fills in both PCL-5s (the higher total first)', async () => {
  for (const c of story.clients) {
    const ctx = await rec.context(browser, { locale: 'en-GB' });
    const page = await ctx.newPage();
    assert.equal((await open(page, c.invitation)).status(), 200);
    await page.fill('#password', CLIENT_PASSWORD);
    await page.fill('#confirm', CLIENT_PASSWORD);
    await follow(page, page.locator('main form button[type=submit]'));
    assert.equal(path(page), '/portal', `${c.name} lands on the portal`);

    const due = page.locator('section[aria-labelledby=due-h] a[href^="/portal/questionnaires/"]');
    assert.equal(await due.count(), 2, `${c.name} has two questionnaires to fill in`);
    const hrefs = await due.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const [n, href] of hrefs.entries()) {
      await open(page, href);
      const answers = answersFor(c.totals[n]);
      const keys = await page.$$eval('form.questionnaire fieldset[id^="q-"]', (fs) => fs.map((f) => f.id.slice(2)));
      assert.equal(keys.length, 20, 'the PCL-5 has 20 items');
      for (const [i, k] of keys.entries()) await page.check(`#q-${k}-${answers[i]}`);
      if (c === story.clients[0] && n === 0) await rec.check(page, 'pcl5-form');
      const done = await follow(page, page.locator('form.questionnaire button[type=submit]'));
      assert.equal(done.status(), 200);
      assert.equal(await text(page.locator('main h1')), 'Thank you', `${c.name}'s PCL-5 no. ${n + 1} is received`);
    }
    await open(page, '/portal');
    assert.equal(await due.count(), 0, 'nothing left to fill in');
    const totals = await page.locator('#progress td.num').allInnerTexts();
    assert.deepEqual(totals.map(Number).sort((a, b) => a - b), [...c.totals].sort((a, b) => a - b),
      `${c.name}'s portal shows both totals`);
    if (c === story.clients.at(-1)) {
      client = page;
    } else {
      await ctx.close();
    }
  }
});

// 4. The report, with the responses.

step('therapist: the report draws the practice beside the trials, the histogram, the caveat and the PCL-5 table', async () => {
  const page = therapist;
  const r = await open(page, '/report');
  assert.equal(r.status(), 200);
  assert.equal(await text(page.locator('main h1')), 'Resultater');
  assert.match(await text(page.locator('main')), /^Resultater Dine klienter som har svart/, 'the scope is the own clients');

  const caveat = page.locator('main p.notice[role=note]');
  assert.equal(await caveat.count(), 1, 'the caveat is shown');
  assert.match(await text(caveat), /CAPS-5.*PCL-5.*ikke en sammenligning av like med like/);

  // The comparison: one forest plot with the practice's diamond beside the trial arms.
  const forest = page.locator('section[aria-labelledby=compare-h] svg.chart.forest');
  assert.equal(await forest.count(), 1, 'the comparison is drawn');
  assert.equal(await forest.getAttribute('role'), 'img');
  assert.equal(await forest.locator(':scope > title').textContent(),
    'Gjennomsnittlig endring i poeng, praksisen og studiearmene');
  assert.equal(await forest.locator('polygon.forest-own').count(), 1, "the practice's row is drawn (3 clients, 2 responses each)");
  const labels = await forest.locator('g.forest-rows text').allTextContents();
  assert.ok(labels.includes(`Denne praksisen, PCL-5 (n = ${EXPECT.clients})`), `the practice's row: ${labels.join(' | ')}`);
  assert.ok(labels.some((l) => l.startsWith('MAPP1 · MDMA med terapi')), 'MAPP1 is beside it');
  assert.ok(labels.some((l) => l.startsWith('MAPP2 · Placebo med terapi')), 'MAPP2 is beside it');
  assert.ok(labels.some((l) => l.startsWith(`${shown(EXPECT.change, 1, 'nb')} (`)),
    `the practice's mean change ${shown(EXPECT.change, 1, 'nb')} is written out: ${labels.join(' | ')}`);

  // The PCL-5: the table and the histogram.
  const pcl = page.locator('section[aria-labelledby="ins-pcl-5"]');
  assert.equal(await text(pcl.locator('h2')), 'PCL-5');
  const facts = await rowsOf(pcl.locator('table.facts-table'));
  assert.equal(facts['Klienter med svar'], String(EXPECT.clients));
  assert.equal(facts['Klienter med to eller flere svar'], String(EXPECT.clients));
  assert.match(facts['Første svar, gjennomsnitt (SD)'], new RegExp(`^${shown(EXPECT.baseline, 1, 'nb')} \\(SD `));
  assert.match(facts['Siste svar, gjennomsnitt (SD)'], new RegExp(`^${shown(EXPECT.latest, 1, 'nb')} \\(SD `));
  assert.equal(facts['Gjennomsnittlig endring'], shown(EXPECT.change, 1, 'nb'));
  assert.match(facts['Effektstørrelse d_z (95 % KI)'], /^−?\d+,\d\d \(.+ – .+\)$/);
  const hist = page.locator('svg.chart.histogram');
  assert.ok((await hist.count()) >= 1, 'at least one histogram');
  assert.equal(await pcl.locator('svg.chart.histogram').count(), 1, 'the PCL-5 has its histogram');
  assert.match(await pcl.locator('svg.chart.histogram > desc').textContent(), new RegExp(`${EXPECT.clients} klienter`));
  const bars = await pcl.locator('g.histogram-bars rect title').allTextContents();
  const counted = bars.reduce((s, t) => s + Number(t.split(': ').at(-1)), 0);
  assert.equal(counted, EXPECT.clients, `every client is in a bar (${bars.join(' | ')})`);

  // Dropout: the clients are at intake, so nobody has begun treatment.
  assert.match(await text(page.locator('section[aria-labelledby=dropout-h]')), /Ingen klient har begynt behandlingen ennå/);

  // The trials' arms, and the link to the evidence page.
  const trials = page.locator('section[aria-labelledby=trials-h]');
  const studies = await trials.locator('tbody tr td:first-child').allTextContents();
  for (const s of ['MAPP1', 'MAPP2']) assert.ok(studies.includes(s), `the trial table lists ${s} (${studies.join(', ')})`);
  assert.equal(await trials.locator('a[href="/nb/evidence/prolonged-exposure"]').count(), 1, 'links to the evidence page');
  await rec.check(page, 'report');
  console.log(`# the charts' text at 1280 px wide, in CSS pixels: ${JSON.stringify(await chartTextPx(page, 'svg.chart'))}`);
  collisions.push(...await chartCollisions(page, 'svg.chart'));
  story.chartsChecked += 1;
});

step('therapist: the CSV and JSON downloads give the same numbers (the session cookie is enough)', async () => {
  const page = therapist;
  const csvLink = page.locator('main a[href="/report.csv"]');
  assert.equal(await csvLink.getAttribute('download'), '', 'the CSV link is a download');
  assert.equal(await text(csvLink), 'Last ned som CSV');
  const csv = await page.request.get(await csvLink.getAttribute('href'));
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  assert.match(csv.headers()['content-disposition'] ?? '', /attachment; filename="ferd-outcomes\.csv"/);
  const body = await csv.text();
  const lines = body.trim().split('\n');
  const pclLine = lines.find((l) => l.startsWith('pcl-5,'));
  assert.ok(pclLine, `a pcl-5 row:\n${body}`);
  const pcl = parseCsv(body).find((row) => row.instrument === 'pcl-5');
  assert.equal(pcl.clients, String(EXPECT.clients), `the clients column: ${pclLine}`);
  assert.equal(pcl.baseline_n, String(EXPECT.clients));
  assert.equal(pcl.latest_n, String(EXPECT.clients));
  assert.equal(Number(pcl.baseline_mean).toFixed(2), EXPECT.baseline.toFixed(2));
  assert.equal(Number(pcl.latest_mean).toFixed(2), EXPECT.latest.toFixed(2));
  assert.equal(Number(pcl.mean_change).toFixed(2), EXPECT.change.toFixed(2));

  const json = await page.request.get('/report.json');
  assert.equal(json.status(), 200);
  assert.match(json.headers()['content-type'], /^application\/json/);
  const v = await json.json();
  const out = v.outcomes.find((o) => o.instrument === 'pcl-5');
  assert.equal(out?.clients, EXPECT.clients, 'the JSON counts the same clients');
  assert.match(v.caveat, /CAPS-5/);
});

step('therapist: the report in English (the language switch) passes axe too', async () => {
  const page = therapist;
  await follow(page, page.locator('form.lang-switch button[name=lang][value=en]'));
  assert.equal(path(page), '/report', 'the switch returns to the report');
  assert.equal(await lang(page), 'en');
  assert.equal(await page.getAttribute('form.lang-switch button[value=en]', 'aria-pressed'), 'true');
  assert.equal(await text(page.locator('main h1')), 'Outcomes');
  assert.equal(await text(page.locator('header nav a[href="/report"]')), 'Outcomes');
  assert.match(await text(page.locator('main p.notice[role=note]')), /CAPS-5.*not a like-for-like comparison/);
  const facts = await rowsOf(page.locator('section[aria-labelledby="ins-pcl-5"] table.facts-table'));
  assert.equal(facts['Mean change'], shown(EXPECT.change, 1, 'en'), 'a decimal point in English');
  const labels = await page.locator('svg.chart.forest g.forest-rows text').allTextContents();
  assert.ok(labels.includes(`This practice, PCL-5 (n = ${EXPECT.clients})`), labels.join(' | '));
  assert.equal(await page.locator('section[aria-labelledby=trials-h] a[href="/en/evidence/prolonged-exposure"]').count(), 1);
  await rec.check(page, 'report-en');
  collisions.push(...await chartCollisions(page, 'svg.chart'));
  story.chartsChecked += 1;
});

step('therapist: at the width of a phone the report does not scroll sideways', async () => {
  const page = therapist;
  await page.setViewportSize(PHONE);
  try {
    await open(page, '/report');
    const px = await chartTextPx(page, 'svg.chart');
    console.log(`# the charts' text at ${PHONE.width} px wide, in CSS pixels: ${JSON.stringify(px)}`);
    await rec.check(page, 'report-en-phone');
    assert.equal(await sidewaysScroll(page), 0, `the page fits ${PHONE.width} px`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 720 });
  }
});

// 5. A client and an anonymous visitor.

step('client: gets 403 from the report and its downloads; an anonymous visitor is sent to /login', async () => {
  const page = client;
  const r = await open(page, '/report');
  assert.equal(r.status(), 403, 'a client gets 403 from /report');
  assert.equal(await page.locator('svg.chart').count(), 0);
  assert.equal(await page.locator('header nav a[href="/report"]').count(), 0, "the client's menu has no report");
  await rec.check(page, 'client-403');
  for (const p of ['/report.csv', '/report.json']) {
    const d = await page.request.get(p, { maxRedirects: 0 });
    assert.equal(d.status(), 403, `a client gets 403 from ${p}`);
    assert.ok(!(await d.text()).includes('pcl-5,'), `${p} gives the client no numbers`);
  }

  const ctx = await rec.context(browser, { locale: 'en-GB' });
  try {
    for (const p of ['/report', '/report.csv', '/report.json']) {
      const a = await ctx.request.get(p, { maxRedirects: 0 });
      assert.equal(a.status(), 303, `${p}: anonymous is redirected`);
      assert.equal(a.headers().location, '/login');
    }
    const anon = await ctx.newPage();
    await open(anon, '/report');
    assert.equal(path(anon), '/login');
  } finally {
    await ctx.close();
  }
});

// 6. The public evidence page, both languages, anonymous.

const EVIDENCE = {
  en: { h1: 'MDMA-assisted therapy beside prolonged exposure', from: 'a page of its own' },
  nb: { h1: 'MDMA-assistert terapi ved siden av forlenget eksponering', from: 'en egen side' },
};

for (const l of ['en', 'nb']) {
  test(`evidence (${l}): /${l}/evidence/prolonged-exposure has two forest plots and its references, and passes axe`, {
    timeout: 60_000,
  }, async () => {
    const ctx = await rec.context(browser, { locale: l === 'en' ? 'en-GB' : 'nb-NO' });
    try {
      const page = await ctx.newPage();
      const at = `/${l}/evidence/prolonged-exposure`;
      // Reached from the evidence page's own link.
      assert.equal((await open(page, `/${l}/evidence`)).status(), 200);
      const link = page.locator(`main a[href="${at}"]`);
      assert.equal(await link.count(), 1, `/${l}/evidence links to ${at}`);
      assert.equal(await text(link), EVIDENCE[l].from);
      const r = await follow(page, link);
      assert.equal(r.status(), 200);
      assert.equal(path(page), at);
      assert.equal(await lang(page), l);
      assert.deepEqual(await page.locator('h1').allInnerTexts(), [EVIDENCE[l].h1]);
      assert.match(await page.getAttribute('main .reviewed time', 'datetime') ?? '', /^\d{4}-\d{2}-\d{2}$/);

      const forests = page.locator('main svg.chart.forest');
      assert.equal(await forests.count(), 2, 'two forest plots');
      for (const f of await forests.all()) {
        assert.equal(await f.getAttribute('role'), 'img');
        assert.ok((await f.locator(':scope > title').textContent()).trim(), 'each has a title');
        assert.ok((await f.locator(':scope > desc').textContent()).trim(), 'each has a description');
        assert.ok((await f.locator('g.forest-rows rect').count()) >= 2, 'each draws at least two estimates');
      }
      const g = l === 'en' ? '1.17 (0.40 – 1.94)' : '1,17 (0,40 – 1,94)';
      assert.ok((await forests.first().locator('text').allTextContents()).includes(g), `MDMA-AP's g is written out: ${g}`);

      const refs = page.locator('section.references li[id^="ref-"]');
      assert.ok((await refs.count()) >= 4, 'the references are listed');
      const ids = await refs.evaluateAll((lis) => lis.map((li) => li.id));
      for (const id of ['ref-amoroso-2016-vs-pe-s1', 'ref-amoroso-2016-vs-pe-s2', 'ref-mapp1-s1', 'ref-mapp2-s1']) {
        assert.ok(ids.includes(id), `${id} is listed (${ids.join(', ')})`);
        assert.ok((await page.locator(`main a[href="#${id}"]`).count()) >= 1, `${id} is cited in the text`);
      }
      const dangling = await page.$$eval('a[href^="#"]', (as) =>
        as.map((a) => a.getAttribute('href').slice(1)).filter((id) => id && !document.getElementById(id)));
      assert.deepEqual(dangling, [], 'every in-page link lands');
      for (const other of ['en', 'nb']) {
        const a = page.locator(`header .site-lang a[hreflang="${other}"]`);
        assert.equal(await a.getAttribute('href'), `/${other}/evidence/prolonged-exposure`,
          `the ${other} language link leads to the same page`);
      }
      await rec.check(page, `evidence-pe-${l}`);
      console.log(`# ${at} at 1280 px, chart text in CSS pixels: ${JSON.stringify(await chartTextPx(page, 'svg.chart'))}`);
      collisions.push(...await chartCollisions(page, 'main svg.chart'));

      await page.setViewportSize(PHONE);
      await open(page, at);
      console.log(`# ${at} at ${PHONE.width} px, chart text in CSS pixels: ${JSON.stringify(await chartTextPx(page, 'svg.chart'))}`);
      await rec.check(page, `evidence-pe-${l}-phone`);
      assert.equal(await sidewaysScroll(page), 0, `the page fits ${PHONE.width} px`);
    } finally {
      await ctx.close();
    }
  });
}

// 7. What the pages told: the charts' layout, accessibility, and the browser console.

test("charts: no text of the report's or the evidence page's charts overlaps another or runs into the plot", (t) => {
  if (step.broken()) {
    t.skip(`the report's charts were not all seen: the step "${step.broken()}" failed`);
    return;
  }
  assert.equal(story.chartsChecked, 2, "the report's charts were checked in both languages");
  assert.deepEqual(collisions, []);
});

test('report accessibility: no serious or critical axe violation on any page visited', async (t) => {
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

test('report: no Content-Security-Policy violation or script error in the browser console', () => {
  assert.deepEqual(rec.consoleProblems, []);
});
