// The web app in headless Chromium against the real service (started here as its own process), as a person uses it.
// Run by tests/AutoRec.Serving.Tests/BrowserTests.cs, which writes the model folder and sets:
//   AUTOREC_DOTNET, AUTOREC_SERVICE (AutoRec.Serving.dll), AUTOREC_MODEL_DIR, AUTOREC_RESULTS_DIR, AUTOREC_FIGURES_DIR,
//   CHROMIUM_PATH, SCREENSHOTS (where the screenshots go).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through BrowserTests (dotnet test)`);
  return value;
};

const key = 'browser-test-key';
let service;
let serviceLog = '';
let base;
let browser;
let page;

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function api(route, body) {
  const response = await fetch(`${base}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'X-Api-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(response.status, 200, `${route}: ${await response.clone().text()}`);
  return response.json();
}

const shot = (name) => page.screenshot({ path: path.join(env('SCREENSHOTS'), `${name}.png`), fullPage: true });

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = spawn(env('AUTOREC_DOTNET'), [env('AUTOREC_SERVICE'),
    `--urls=${base}`, `--Model:Directory=${env('AUTOREC_MODEL_DIR')}`, `--Serving:ApiKey=${key}`,
    `--Experiments:ResultsDirectory=${env('AUTOREC_RESULTS_DIR')}`, `--Experiments:FiguresDirectory=${env('AUTOREC_FIGURES_DIR')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  service.stdout.on('data', (d) => { serviceLog += d; });
  service.stderr.on('data', (d) => { serviceLog += d; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || service.exitCode !== null) throw new Error(`the service did not get ready:\n${serviceLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await chromium.launch({ executablePath: env('CHROMIUM_PATH'), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => { throw new Error(`the page threw: ${error.message}`); });
});

after(async () => {
  await browser?.close();
  if (service && service.exitCode === null) service.kill();
});

test('asks for the API key, says when a key is refused, then shows the app', async () => {
  await page.goto(`${base}/`);
  const dialog = page.locator('#api-key-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.fill('#api-key', 'wrong-key');
  await page.keyboard.press('Enter');
  await page.locator('#api-key-error', { hasText: 'refused' }).waitFor();
  await shot('api-key-refused');
  await page.fill('#api-key', key);
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Try the recommender' }).waitFor();
  await page.locator('.message.empty', { hasText: 'Rate a few movies' }).waitFor();
});

/** Waits until the recommendations shown are the answer for exactly these rated movies (ids ascending). */
async function settled(ids) {
  await page.locator(`.recommendations[aria-busy="false"][data-rated="${ids}"]`).waitFor();
}

async function rate(query, title, stars, useKeyboard) {
  await page.fill('#search', query);
  const option = page.locator('#search-results [role="option"]', { hasText: title });
  await option.first().waitFor();
  if (useKeyboard) {
    // The first option is marked active; the arrow keys move to the one wanted, Enter picks it.
    const options = await page.locator('#search-results [role="option"] .title').allInnerTexts();
    const index = options.indexOf(title);
    assert.ok(index >= 0, `${title} is not among ${options}`);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#search-results [aria-selected="true"] .title').innerText(), title);
    await page.keyboard.press('Enter');
  } else {
    await option.first().click();
  }
  const item = page.locator('ul.rated li', { hasText: title });
  await item.waitFor();
  await item.locator(`label[data-value="${stars}"]`).click();
}

test('search, rate three movies, see ten recommendations that leave them out, each with a reason', async () => {
  await rate('toy sto', 'Toy Story (1995)', 5, true);
  await rate('the matrix', 'Matrix, The (1999)', 4, false); // words in any order, "The" moved to the end
  await rate('amelie', 'Amélie (2001)', 2, false); // accents ignored
  const ranked = page.locator('ol.ranked > li.recommendation');
  await settled('1,15,20');
  assert.equal(await ranked.count(), 10);
  const shown = (await ranked.evaluateAll((items) => items.map((li) => Number(li.dataset.movie))));
  const rated = { 1: 5, 15: 4, 20: 2 };
  for (const id of Object.keys(rated).map(Number)) assert.ok(!shown.includes(id), `rated movie ${id} was recommended`);
  // What the page shows is the service's own answer for these ratings, in its order.
  const answer = await api('/v1/recommendations', { ratings: rated, n: 10 });
  assert.deepEqual(shown, answer.recommendations.map((m) => m.movieId));

  // The reason: the rated movies most like the recommendation, by the model's similarity.
  const first = ranked.first();
  await first.locator('details.reason summary').click();
  const reasons = await first.locator('details.reason li a').allInnerTexts();
  assert.ok(reasons.length >= 1 && reasons.length <= 3, `reasons: ${reasons}`);
  for (const title of reasons) assert.ok(['Toy Story (1995)', 'Matrix, The (1999)', 'Amélie (2001)'].includes(title), `${title} is not a rated movie`);
  const similar = await api(`/v1/movies/${shown[0]}/similar?n=3&among=1&among=15&among=20`);
  assert.deepEqual(reasons, similar.similar.map((m) => m.title));
  await shot('try-it');
});

test('filters recommendations by genre and can show what I rated', async () => {
  await page.selectOption('#genre', 'Comedy');
  await page.waitForFunction(() => {
    const genres = [...document.querySelectorAll('ol.ranked > li.recommendation .genres')];
    return genres.length > 0 && genres.every((g) => g.textContent.includes('Comedy'));
  });
  await settled('1,15,20');
  const genres = await page.locator('ol.ranked > li.recommendation .genres').allInnerTexts();
  assert.ok(genres.length > 0 && genres.every((g) => g.includes('Comedy')), genres.join(' / '));
  await page.selectOption('#genre', '');
  await page.uncheck('#hide-rated');
  await page.locator('ol.ranked .badge', { hasText: 'you rated' }).first().waitFor();
  await page.check('#hide-rated');
  await page.waitForFunction(() => document.querySelectorAll('ol.ranked .badge').length === 0);
});

test('the model card shows what is loaded, how good it is and its learning curve', async () => {
  await page.click('nav >> text=Model');
  await page.locator('h1', { hasText: 'Model card' }).waitFor();
  const model = await api('/v1/model');
  const text = await page.locator('main').innerText();
  assert.ok(text.includes(model.version), 'the version (SHA-256) is shown');
  assert.ok(text.includes('1.0123'), 'the test RMSE of validation.json is shown');
  assert.ok(text.includes('at most 2: passed'), 'the gate is shown');
  assert.ok(text.includes('seed 7'), 'the split seed is shown');
  assert.ok(text.includes('1,234') || text.includes('1234'), 'the parameter count is shown');
  await page.locator('.chart .uplot canvas').first().waitFor();
  await shot('model-card');
});

test('the experiments list a suite; its table holds the seed figures; two runs compare on one plot', async () => {
  await page.click('nav >> text=Experiments');
  await page.locator('h1', { hasText: 'Experiments' }).waitFor();
  await page.click('text=Tiny suite for the browser tests');
  await page.locator('h1', { hasText: 'Tiny suite for the browser tests' }).waitFor();
  const rows = page.locator('table.runs tbody tr');
  assert.equal(await rows.count(), 3);
  assert.ok((await rows.nth(0).innerText()).includes('0.900'), 'the seed report figure is beside ours');
  assert.ok((await rows.nth(2).innerText()).includes('diverged'), 'a run without numbers says why');
  const legend = page.locator('.chart .u-legend');
  await legend.waitFor();
  assert.ok((await legend.innerText()).includes('Sigmoid + Linear'));
  assert.ok((await legend.innerText()).includes('ELU + ELU'));
  await page.uncheck('input[aria-label="Compare ELU + ELU"]');
  await page.waitForFunction(() => !document.querySelector('.chart .u-legend')?.textContent.includes('ELU + ELU'));
  await page.locator('img.suite-figure').waitFor();
  await shot('experiment');
});

test('a known user\'s page shows their training ratings beside the predictions, and their recommendations', async () => {
  const userId = 3;
  const ratings = await api(`/v1/users/${userId}/ratings`);
  await page.fill('#goto-user-id', String(userId));
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: `User ${userId}` }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('table.data tbody tr').length === n, ratings.ratings.length);
  const recommended = await api(`/v1/users/${userId}/recommendations?n=10`);
  await page.waitForFunction((n) => document.querySelectorAll('ol.ranked > li').length === n, recommended.recommendations.length);
  await shot('user');

  await page.goto(`${base}/users/9999`);
  await page.locator('.message.error', { hasText: 'Unknown user' }).waitFor();
});

test('a movie page shows its ratings, its predicted distribution and similar movies', async () => {
  await page.goto(`${base}/movies/1`);
  await page.locator('h1', { hasText: 'Toy Story (1995)' }).waitFor();
  const movie = await api('/v1/movies/1');
  assert.ok((await page.locator('main').innerText()).includes(`${movie.trainingRatings} training ratings`));
  await page.waitForFunction(() => document.querySelectorAll('ol.ranked > li').length === 10);
  await shot('movie');
});

test('reads well on a phone-sized window', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  await settled('1,15,20'); // the ratings are kept in the browser
  assert.equal(await page.locator('ol.ranked > li.recommendation').count(), 10);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the window`);
  await shot('try-it-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('says so when the service has stopped', async () => {
  service.kill();
  await new Promise((resolve) => (service.exitCode !== null ? resolve() : service.once('exit', resolve)));
  await page.click('nav >> text=Model');
  await page.locator('.message.error', { hasText: 'The service is not answering' }).waitFor();
  await shot('service-stopped');
});
