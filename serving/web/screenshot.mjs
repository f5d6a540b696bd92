// The README's screenshots: the web app on a running service, with three movies rated.
//   node screenshot.mjs http://127.0.0.1:5080 ../../docs/web-app.png [ratings like 2571:5,1:4,1210:5]
// Needs CHROMIUM_PATH (or /usr/bin/chromium) and the service running on a model (dotnet run --project serving/AutoRec.Serving).

import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:5080', out = 'web-app.png', given = '2571:5,1:4,1210:5'] = process.argv.slice(2);
const ids = given.split(',').map((pair) => pair.split(':').map(Number));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const ratings = {};
  for (const [id, rating] of ids) {
    const movie = await (await fetch(`${base}/v1/movies/${id}`)).json();
    ratings[id] = { rating, title: movie.title, year: movie.year, genres: movie.genres };
  }
  await page.goto(`${base}/`);
  await page.evaluate((stored) => localStorage.setItem('autorec.ratings', JSON.stringify(stored)), ratings);
  await page.reload();
  await page.locator(`.recommendations[aria-busy="false"][data-rated="${Object.keys(ratings).join(',')}"]`).waitFor();
  await page.locator('ol.ranked details.reason summary').first().click();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
