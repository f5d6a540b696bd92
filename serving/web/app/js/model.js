// The model card: what is loaded, how it was trained, how good it is and its learning curve.

import { get, ProblemError } from './api.js';
import { curves } from './chart.js';
import { emptyState, errorMessage, fixed, h } from './ui.js';

export async function modelPage() {
  let model;
  try {
    model = await get('/v1/model');
  } catch (error) {
    if (error instanceof ProblemError && error.status === 503) {
      return h('div', {}, h('h1', {}, 'Model card'), emptyState('No model is loaded yet. '), errorMessage(error),
        h('p', {}, 'Build one with ', h('code', {}, 'dotnet build'), '; the service loads it as soon as model/model.onnx appears.'));
    }
    throw error;
  }

  const rows = (pairs) => h('table', { class: 'facts' }, h('tbody', {}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))));
  const training = model.training;
  const gate = model.gate;
  const split = model.split;
  const curve = h('div', {});
  if (model.hasLearningCurve) {
    get('/v1/model/history').then((history) => {
      const columns = history.columns;
      const series = ['train_rmse', 'validation_rmse', 'validation_rmse_user_mean'].filter((c) => columns[c]).map((c) => ({ label: c.replaceAll('_', ' '), values: columns[c] }));
      curve.replaceChildren(series.length ? curves('Learning curve (model/history.csv)', series) : emptyState('history.csv has no RMSE columns.'));
    }).catch((error) => curve.replaceChildren(errorMessage(error)));
  } else {
    curve.replaceChildren(emptyState('No learning curve: the model folder has no model/history.csv.'));
  }

  const reload = model.reload;
  return h('div', { class: 'card' },
    h('h1', {}, 'Model card'),
    h('section', { 'aria-labelledby': 'loaded' }, h('h2', { id: 'loaded' }, 'What is loaded'), rows([
      ['Name', model.name],
      ['Kind', model.kind],
      ['Dataset', model.dataset],
      ['File', `${model.file} (${(model.fileBytes / 1048576).toFixed(1)} MB)`],
      ['Version (SHA-256)', h('code', { class: 'hash' }, model.version)],
      ['Loaded at', new Date(model.loadedAt).toLocaleString()],
      ['Users / movies', `${model.users.toLocaleString()} / ${model.movies.toLocaleString()}`],
      ['Rating scale', `${model.ratingScale.min} to ${model.ratingScale.max}${model.ratingScale.step ? ` in steps of ${model.ratingScale.step}` : ''}`],
      ['New users', model.recommendsForRatings ? 'served from their ratings' : 'not served (users by id only)'],
      ['Last reload', reload ? `${new Date(reload.at).toLocaleString()}: ${reload.failure ? `failed (${reload.failure}); the previous model goes on serving` : 'loaded'}` : 'none since start'],
    ])),
    h('section', { 'aria-labelledby': 'quality' }, h('h2', { id: 'quality' }, 'How good it is'), rows([
      ['Test RMSE, global', h('strong', {}, fixed(model.testRmse))],
      ['Test RMSE, mean of per-user', fixed(model.testRmseUserMean)],
      ['Gate', gate ? `${gate.maxTestRmse ? `at most ${gate.maxTestRmse}` : 'no limit'}: ${gate.passed === false ? `failed (${gate.failures.join('; ')})` : 'passed'}` : 'no validation.json'],
      ['Protocol', model.protocol === 'refit' ? 'refit: trained on train + validation with protocol A\'s choices' : model.protocol === 'A' ? 'A: trained on train, every choice made on validation' : null],
      ['Split', split ? `seed ${split.seed}: ${split.train.toLocaleString()} train, ${split.validation.toLocaleString()} validation, ${split.test.toLocaleString()} test ratings` : null],
    ])),
    h('section', { 'aria-labelledby': 'training' }, h('h2', { id: 'training' }, 'How it was trained'), rows(training ? [
      ['Parameters', training.parameters.toLocaleString()],
      ['Epochs', `${training.epochs} (best ${training.bestEpoch})`],
      ['Validation RMSE', fixed(training.validationRmse)],
      ['Training', `${training.trainSeconds.toFixed(0)} s, peak ${training.peakRssMb.toFixed(0)} MB`],
    ] : [['Training run', 'no metrics.json']]),
    model.blend ? h('div', {}, h('h3', {}, `Blend: ${model.blend.name}`),
      h('table', { class: 'data' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Weight'))),
        h('tbody', {}, h('tr', {}, h('td', {}, 'intercept'), h('td', {}, ''), h('td', {}, fixed(model.blend.intercept, 3))),
          model.blend.members.map((m) => h('tr', {}, h('td', {}, m.name), h('td', {}, h('code', {}, m.model)), h('td', {}, fixed(m.weight, 3)))))),
      model.blend.supportTerms > 0
        ? h('p', {}, `The weights above are the base ones: ${model.blend.supportTerms} more terms move them with how many ratings the user and the movie have (blend.json's support).`)
        : null) : null,
    model.config ? h('details', {}, h('summary', {}, 'Training configuration (from the model file)'), h('pre', {}, JSON.stringify(model.config, null, 2))) : null),
    h('section', { 'aria-labelledby': 'curve' }, h('h2', { id: 'curve' }, 'Learning curve'), curve));
}
