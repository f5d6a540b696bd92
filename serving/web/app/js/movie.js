// A movie's page: what the model saw of it, what it predicts for it, and the movies most like it.

import { get, query } from './api.js';
import * as stored from './ratings.js';
import { bars, emptyState, errorMessage, fixed, genres, h, movieLink, starText } from './ui.js';

export async function moviePage(movieId) {
  const movie = await get(`/v1/movies/${movieId}`);
  const similar = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  get(`/v1/movies/${movieId}/similar${query({ n: 10 })}`)
    .then((answer) => similar.replaceChildren(answer.similar.length
      ? h('ol', { class: 'ranked' }, answer.similar.map((m) => h('li', {}, movieLink(m), ' ', genres(m.genres), h('span', { class: 'muted' }, ` similarity ${fixed(m.similarity, 2)}`))))
      : emptyState('No other movie to compare with.')))
    .catch((error) => similar.replaceChildren(errorMessage(error)));

  const ratings = stored.load();
  const rate = h('button', { type: 'button', disabled: Boolean(ratings[movieId]), onclick: (e) => {
    const mine = stored.load();
    mine[movieId] = { rating: 0, title: movie.title, year: movie.year, genres: movie.genres };
    stored.save(mine);
    e.target.disabled = true;
    e.target.textContent = 'Added to your ratings';
  } }, ratings[movieId] ? 'In your ratings' : 'Rate it on the Try it page');

  const predicted = movie.predicted;
  return h('div', {},
    h('h1', {}, movie.title ?? `Movie ${movieId}`),
    h('p', { class: 'lead' }, genres(movie.genres), movie.year ? ` · ${movie.year}` : ''),
    h('p', {}, rate),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'movie-ratings' },
        h('h2', { id: 'movie-ratings' }, 'What the model saw'),
        h('p', {}, movie.trainingRatings
          ? `${movie.trainingRatings.toLocaleString()} training ratings, mean ${starText(movie.meanTrainingRating)} (${fixed(movie.meanTrainingRating, 2)}).`
          : 'No training ratings: the model knows this movie only through its users.'),
        bars(movie.trainingRatingCounts, 'Training ratings'),
        predicted.users
          ? bars(predicted.counts, `Predicted ratings over ${predicted.users === predicted.ofUsers ? 'all' : 'an even sample of'} ${predicted.users.toLocaleString()} of ${predicted.ofUsers.toLocaleString()} users (mean ${fixed(predicted.mean, 2)})`)
          : emptyState('The model serves no users by id, so there is no predicted distribution.')),
      h('section', { 'aria-labelledby': 'movie-similar' }, h('h2', { id: 'movie-similar' }, 'Most similar movies'), similar)));
}
