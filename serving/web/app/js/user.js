// A known user's page: their training ratings beside what the model predicts for them, and their recommendations.

import { get, post, query } from './api.js';
import { emptyState, errorMessage, fixed, genres, h, movieLink, starText } from './ui.js';

const listed = 1000; // the service's MaxMovieIds: predictions for at most this many rated movies at once

export async function userPage(userId) {
  const [model, ratings] = await Promise.all([get('/v1/model'), get(`/v1/users/${userId}/ratings`)]);
  const recommendations = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  get(`/v1/users/${userId}/recommendations${query({ n: 10 })}`)
    .then((answer) => recommendations.replaceChildren(answer.recommendations.length
      ? h('ol', { class: 'ranked' }, answer.recommendations.map((m) => h('li', { class: 'recommendation', 'data-movie': m.movieId },
        h('div', { class: 'movie' }, movieLink(m), ' ', genres(m.genres)), h('div', { class: 'score' }, `predicted ${starText(m.predictedRating)}`))))
      : emptyState('Nothing left to recommend: this user rated every movie.')))
    .catch((error) => recommendations.replaceChildren(errorMessage(error)));

  const table = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const rated = ratings.ratings.slice(0, listed);
  if (rated.length === 0) {
    table.replaceChildren(emptyState('This user has no training ratings: the model scores them as the average user.'));
  } else {
    post('/v1/predictions', { userId, movieIds: rated.map((r) => r.movieId) })
      .then((answer) => {
        const predicted = new Map(answer.predictions.map((p) => [p.movieId, p.predictedRating]));
        const errors = rated.map((r) => predicted.get(r.movieId) - r.rating);
        const rmse = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
        table.replaceChildren(
          h('p', {}, `${ratings.ratings.length.toLocaleString()} training ratings; the model reproduces them with RMSE ${fixed(rmse, 3)} (training fit, not a test score).`),
          h('table', { class: 'data' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Movie'), h('th', { scope: 'col' }, 'Rated'), h('th', { scope: 'col' }, 'Predicted'))),
            h('tbody', {}, rated.map((r) => h('tr', {}, h('td', {}, movieLink(r), ' ', genres(r.genres)), h('td', {}, starText(r.rating)), h('td', {}, fixed(predicted.get(r.movieId), 2)))))));
      })
      .catch((error) => table.replaceChildren(errorMessage(error)));
  }

  return h('div', {},
    h('h1', {}, `User ${userId}`),
    h('p', { class: 'lead' }, `One of the ${model.users.toLocaleString()} users the ${model.name ?? model.kind} model was trained with.`),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'user-ratings' }, h('h2', { id: 'user-ratings' }, 'Training ratings'), table),
      h('section', { 'aria-labelledby': 'user-recs' }, h('h2', { id: 'user-recs' }, 'Recommended'), recommendations)));
}
