// Small DOM helpers: elements from data (text only, never HTML), star ratings, messages, bars.

import { ProblemError, UnreachableError } from './api.js';

/** An element with attributes (on* as listeners) and children (strings become text nodes). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function fixed(value, digits = 4) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function movieLabel(movie) {
  return movie.title ?? `Movie ${movie.movieId}`;
}

export function movieLink(movie) {
  return h('a', { href: `/movies/${movie.movieId}` }, movieLabel(movie));
}

export function genres(list) {
  return h('span', { class: 'genres' }, (list || []).join(' · '));
}

/** The values a rating may take on the model's scale (whole stars when the scale has no steps). */
export function scaleValues(scale) {
  const step = scale.step > 0 ? scale.step : 1;
  const values = [];
  for (let v = scale.min; v <= scale.max + 1e-6; v += step) values.push(Math.round(v * 100) / 100);
  return values;
}

/**
 * A star rating as a radio group: the keyboard moves between values with the arrow keys, as in any radio group.
 * onChange gets the chosen value.
 */
export function starInput(scale, value, onChange, label) {
  const name = `stars-${Math.random().toString(36).slice(2)}`;
  const group = h('fieldset', { class: 'stars' }, h('legend', { class: 'visually-hidden' }, label));
  for (const v of scaleValues(scale)) {
    const id = `${name}-${v}`;
    const input = h('input', { type: 'radio', name, id, value: v, checked: value === v, class: 'visually-hidden' });
    input.addEventListener('change', () => onChange(v));
    group.append(input, h('label', { for: id, title: `${v} star${v === 1 ? '' : 's'}`, 'data-value': v }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'visually-hidden' }, `${v} stars`)));
  }
  return group;
}

export function starText(value) {
  return `★ ${Number(value).toFixed(Number.isInteger(value) ? 0 : 1)}`;
}

/** A message for an error of the API: problem+json shown as its title and detail, an unreachable service said plainly. */
export function errorMessage(error) {
  if (error instanceof UnreachableError) {
    return h('div', { class: 'message error', role: 'alert' }, h('strong', {}, 'The service is not answering. '), error.message);
  }
  if (error instanceof ProblemError) {
    return h('div', { class: 'message error', role: 'alert' }, h('strong', {}, `${error.title}. `), error.detail, h('span', { class: 'muted' }, ` (HTTP ${error.status})`));
  }
  return h('div', { class: 'message error', role: 'alert' }, String(error?.message ?? error));
}

export function emptyState(text, ...more) {
  return h('div', { class: 'message empty' }, text, ...more);
}

/** Horizontal bars of counts per rating value. */
export function bars(counts, caption) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  return h('figure', { class: 'bars' },
    h('figcaption', {}, caption),
    h('table', {},
      h('tbody', {}, counts.map((c) => h('tr', {},
        h('th', { scope: 'row' }, starText(c.rating)),
        h('td', {}, h('span', { class: 'bar', style: `width:${(100 * c.count) / max}%` }), h('span', { class: 'count' }, c.count)))))));
}
