// "Try it": search movies, rate them, see recommendations (with their reasons) update as you rate.

import { get, post, query } from './api.js';
import * as stored from './ratings.js';
import { emptyState, errorMessage, fixed, genres, h, movieLabel, movieLink, starInput, starText } from './ui.js';

const shown = 10;

export async function tryPage() {
  const model = await get('/v1/model');
  let ratings = stored.load();
  let genre = '';
  let hideRated = true;
  let refreshTicket = 0;

  const ratedList = h('ul', { class: 'rated', 'aria-label': 'Your ratings' });
  const results = h('div', { class: 'recommendations', 'aria-live': 'polite' });

  const search = searchBox((movie) => {
    if (!ratings[movie.movieId]) {
      ratings[movie.movieId] = { rating: 0, title: movie.title, year: movie.year, genres: movie.genres };
      stored.save(ratings);
      drawRated();
    }
    ratedList.querySelector(`[data-movie="${movie.movieId}"] input`)?.focus();
  });

  const genreSelect = h('select', { id: 'genre', onchange: (e) => { genre = e.target.value; refresh(); } },
    h('option', { value: '' }, 'All genres'), (model.genres || []).map((g) => h('option', { value: g }, g)));
  const hide = h('input', { type: 'checkbox', id: 'hide-rated', checked: true, onchange: (e) => { hideRated = e.target.checked; refresh(); } });

  function drawRated() {
    const entries = Object.entries(ratings);
    ratedList.replaceChildren(...entries.map(([id, r]) => h('li', { 'data-movie': id },
      h('div', { class: 'movie' }, movieLink({ movieId: id, title: r.title }), ' ', genres(r.genres)),
      starInput(model.ratingScale, r.rating, (value) => { ratings[id].rating = value; stored.save(ratings); refresh(); }, `Your rating of ${r.title}`),
      h('button', { type: 'button', class: 'link', onclick: () => { delete ratings[id]; stored.save(ratings); drawRated(); }, 'aria-label': `Remove ${r.title}` }, 'Remove'))));
    if (entries.length === 0) ratedList.append(h('li', { class: 'muted' }, 'Nothing rated yet: search for movies you know above.'));
    refresh();
  }

  async function refresh() {
    const ticket = ++refreshTicket;
    const rated = stored.asRequest(ratings);
    const ratedIds = Object.keys(rated).map(Number);
    // Which ratings the list shows, and whether a newer answer is on its way: for the reader's assistive tech and for tests.
    const settle = () => { if (ticket === refreshTicket) { results.setAttribute('aria-busy', 'false'); results.dataset.rated = ratedIds.join(','); } };
    results.setAttribute('aria-busy', 'true');
    try {
      await draw(ticket, rated, ratedIds);
    } finally {
      settle();
    }
  }

  async function draw(ticket, rated, ratedIds) {
    if (!model.recommendsForRatings) {
      results.replaceChildren(emptyState(`This ${model.kind} model answers only the users it was trained with: open a user (e.g. /users/${1}) instead.`));
      return;
    }
    if (ratedIds.length === 0) {
      results.replaceChildren(emptyState('Rate a few movies and recommendations appear here, each with the movies you rated that it is most like.'));
      return;
    }
    try {
      const answer = await post('/v1/recommendations', { ratings: rated, n: shown, genres: genre ? [genre] : undefined });
      let list = answer.recommendations.map((m) => ({ ...m, yours: null }));
      if (!hideRated) {
        const predicted = await post('/v1/predictions', { ratings: rated, movieIds: ratedIds });
        list = [...list, ...predicted.predictions.filter((m) => !genre || m.genres.includes(genre)).map((m) => ({ ...m, yours: rated[m.movieId] }))]
          .sort((a, b) => b.predictedRating - a.predictedRating || a.movieId - b.movieId)
          .slice(0, shown);
      }
      const reasons = await Promise.all(list.map((m) => (m.yours === null
        ? get(`/v1/movies/${m.movieId}/similar${query({ n: 3, among: ratedIds })}`).then((s) => s.similar, () => [])
        : Promise.resolve([]))));
      if (ticket !== refreshTicket) return;
      results.replaceChildren(list.length === 0
        ? emptyState(genre ? `No recommendations in ${genre}.` : 'No recommendations: every movie is rated or left out.')
        : h('ol', { class: 'ranked' }, list.map((m, i) => recommendation(m, reasons[i]))));
    } catch (error) {
      if (ticket === refreshTicket) results.replaceChildren(errorMessage(error));
    }
  }

  drawRated();
  return h('div', { class: 'try' },
    h('h1', {}, 'Try the recommender'),
    h('p', { class: 'lead' }, `Rate movies you know; the ${model.name ?? model.kind} model (${model.dataset}) recommends from ${model.movies.toLocaleString()} movies.`,
      ' Your ratings stay in this browser and go to the service only with each request.'),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'rate-title' }, h('h2', { id: 'rate-title' }, 'Your ratings'), search, ratedList,
        Object.keys(ratings).length ? h('button', { type: 'button', class: 'link', onclick: () => { ratings = {}; stored.save(ratings); drawRated(); } }, 'Clear all') : null),
      h('section', { 'aria-labelledby': 'recs-title' }, h('h2', { id: 'recs-title' }, 'Recommended for you'),
        h('div', { class: 'filters' }, h('label', { for: 'genre' }, 'Genre '), genreSelect, h('label', { class: 'check' }, hide, ' hide what I rated')),
        results)));
}

function recommendation(movie, reasons) {
  return h('li', { class: 'recommendation', 'data-movie': movie.movieId },
    h('div', { class: 'movie' }, movieLink(movie), ' ', genres(movie.genres)),
    h('div', { class: 'score' }, `predicted ★ ${fixed(movie.predictedRating, 2)}`, movie.yours !== null ? h('span', { class: 'badge' }, `you rated ${starText(movie.yours)}`) : null),
    reasons.length === 0 ? null : h('details', { class: 'reason' },
      h('summary', {}, 'Because you rated ', h('em', {}, movieLabel(reasons[0]))),
      h('ul', {}, reasons.map((r) => h('li', {}, movieLink(r), ` — similarity ${fixed(r.similarity, 2)}`))),
      h('p', { class: 'muted' }, 'Similarity: the cosine of the model\'s vectors for the two movies (GET /v1/movies/{id}/similar?among=…).')));
}

/** A typeahead over the catalog (GET /v1/movies?q=): arrow keys move, Enter picks, Escape closes. */
function searchBox(onPick) {
  const input = h('input', { id: 'search', type: 'search', placeholder: 'Search a movie title, e.g. toy story', autocomplete: 'off', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'search-results', 'aria-autocomplete': 'list' });
  const list = h('ul', { id: 'search-results', role: 'listbox', class: 'typeahead', hidden: true, 'aria-label': 'Matching movies' });
  const error = h('div');
  let options = [];
  let active = -1;
  let ticket = 0;
  let timer = null;

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); };
  const mark = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) input.setAttribute('aria-activedescendant', list.children[index].id);
  };
  const pick = (movie) => { onPick(movie); input.value = ''; close(); };

  async function lookup() {
    const text = input.value.trim();
    const mine = ++ticket;
    if (!text) { close(); return; }
    try {
      const answer = await get(`/v1/movies${query({ q: text, n: 8 })}`);
      if (mine !== ticket) return;
      error.replaceChildren();
      options = answer.movies;
      list.replaceChildren(...(options.length ? options.map((m, i) => h('li', { id: `search-option-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (e) => { e.preventDefault(); pick(m); } },
        h('span', { class: 'title' }, movieLabel(m)), ' ', genres(m.genres), h('span', { class: 'muted' }, ` ${m.trainingRatings.toLocaleString()} ratings`)))
        : [h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true' }, `No movie title holds "${text}".`)]));
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark(options.length ? 0 : -1);
    } catch (e) {
      if (mine === ticket) { error.replaceChildren(errorMessage(e)); close(); }
    }
  }

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lookup, 120); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && options.length) { e.preventDefault(); mark((active + 1) % options.length); }
    else if (e.key === 'ArrowUp' && options.length) { e.preventDefault(); mark((active - 1 + options.length) % options.length); }
    else if (e.key === 'Enter' && active >= 0 && !list.hidden) { e.preventDefault(); pick(options[active]); }
    else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return h('div', { class: 'search' }, h('label', { for: 'search' }, 'Find a movie to rate'), input, list, error);
}
