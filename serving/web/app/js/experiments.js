// Experiment tracking from the committed results: suites, their runs (parameters, metrics, curves), the seed's figures beside ours.

import { blobUrl, get } from './api.js';
import { curves } from './chart.js';
import { emptyState, errorMessage, fixed, h } from './ui.js';

export async function experimentsPage() {
  const { suites } = await get('/v1/experiments');
  return h('div', {},
    h('h1', {}, 'Experiments'),
    h('p', { class: 'lead' }, 'The seed report\'s experiments rerun by this project (autorec-train experiment <suite>), from the results files in docs/results.'),
    suites.length === 0
      ? emptyState('No experiment has been run: there are no results files. Run one with ', h('code', {}, 'dotnet run --project training/AutoRec.Training -- experiment activations'), '.')
      : h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['Suite', 'Seed report', 'Runs', 'Best test RMSE', 'Finished'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, suites.map((s) => h('tr', {},
          h('td', {}, h('a', { href: `/experiments/${s.suite}` }, s.title ?? s.suite)),
          h('td', {}, s.seedSection ?? ''), h('td', {}, s.runs), h('td', {}, fixed(s.bestTestRmse)), h('td', {}, s.finished ?? ''))))));
}

export async function suitePage(suite) {
  const results = await get(`/v1/experiments/${suite}`);
  const { suites } = await get('/v1/experiments');
  const summary = suites.find((s) => s.suite === suite);
  const runs = results.runs || [];
  const chosen = new Set(runs.filter((r) => r.history).slice(0, 2).map((r) => r.name));
  const plot = h('div', {});
  const measure = h('select', { id: 'curve-measure', onchange: () => draw() },
    h('option', { value: 'validation' }, 'validation RMSE'), h('option', { value: 'validation_user_mean' }, 'validation RMSE, per-user mean'), h('option', { value: 'train' }, 'train RMSE'));

  function draw() {
    const series = runs.filter((r) => chosen.has(r.name) && r.history?.[measure.value]).map((r) => ({ label: r.label, values: r.history[measure.value] }));
    plot.replaceChildren(series.length ? curves(`${measure.selectedOptions[0].textContent} by epoch`, series) : emptyState('Tick runs in the table to compare their learning curves on one plot.'));
  }

  const seedColumn = runs.some((r) => r.seed);
  const table = h('table', { class: 'data runs' },
    h('thead', {}, h('tr', {}, ['Compare', 'Run', ...(seedColumn ? ['Seed report (test)'] : []), 'Test RMSE per-user', 'Test RMSE global', 'Validation', 'Best epoch', 'Seconds'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, runs.map((r) => h('tr', { 'data-run': r.name },
      h('td', {}, r.history ? h('input', { type: 'checkbox', checked: chosen.has(r.name), 'aria-label': `Compare ${r.label}`, onchange: (e) => { if (e.target.checked) chosen.add(r.name); else chosen.delete(r.name); draw(); } }) : ''),
      h('td', {}, h('details', {}, h('summary', {}, r.label), h('pre', {}, JSON.stringify(r.config, null, 2))), r.note ? h('div', { class: 'muted' }, r.note) : null),
      ...(seedColumn ? [h('td', {}, r.seed ? fixed(r.seed.test, 3) : '')] : []),
      h('td', {}, fixed(r.test_rmse_user_mean)), h('td', {}, fixed(r.test_rmse)), h('td', {}, fixed(r.validation_rmse)),
      h('td', {}, `${typeof r.best_epoch === 'number' ? Math.round(r.best_epoch) : '–'} / ${r.epochs ?? '–'}`), h('td', {}, r.seconds?.toFixed?.(0) ?? '')))));

  const figure = h('div', {});
  if (summary?.figure) {
    blobUrl(summary.figure)
      .then((url) => figure.replaceChildren(h('figure', {}, h('img', { src: url, alt: `The ${results.title} suite's figure`, class: 'suite-figure' }), h('figcaption', {}, `docs/experiments/${suite}.png`))))
      .catch((error) => figure.replaceChildren(errorMessage(error)));
  }
  draw();
  return h('div', {},
    h('p', {}, h('a', { href: '/experiments' }, '← All experiments')),
    h('h1', {}, results.title ?? suite),
    h('p', { class: 'lead' }, [results.seed_section ? `Seed report: ${results.seed_section}.` : '', results.split ? ` Split: ${results.split}.` : '',
      results.machine ? ` Ran on ${results.machine}, finished ${results.finished}, ${Math.round(results.seconds ?? 0)} s of training.` : ''].join('')),
    h('p', { class: 'muted' }, 'Test RMSEs are of the epoch with the best validation RMSE; "per-user" is the mean of per-user RMSEs, the seed report\'s metric.'),
    h('div', { class: 'scroll' }, table),
    h('section', { 'aria-labelledby': 'compare' }, h('h2', { id: 'compare' }, 'Compare runs'), h('label', { for: 'curve-measure' }, 'Curve '), measure, plot),
    figure);
}
