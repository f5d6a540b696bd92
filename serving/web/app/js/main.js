// The web app: a small router over the pages, each a function that fills <main> from the public API.

import { onKeyNeeded } from './api.js';
import { tryPage } from './try.js';
import { userPage } from './user.js';
import { moviePage } from './movie.js';
import { modelPage } from './model.js';
import { experimentsPage, suitePage } from './experiments.js';
import { errorMessage, h } from './ui.js';

const routes = [
  [/^\/$/, () => tryPage(), 'try'],
  [/^\/users\/(\d+)$/, (m) => userPage(Number(m[1])), null],
  [/^\/movies\/(\d+)$/, (m) => moviePage(Number(m[1])), null],
  [/^\/model$/, () => modelPage(), 'model'],
  [/^\/experiments$/, () => experimentsPage(), 'experiments'],
  [/^\/experiments\/([a-z0-9._-]+)$/, (m) => suitePage(m[1]), 'experiments'],
];

const main = document.getElementById('main');
let rendering = 0;

async function render() {
  const ticket = ++rendering;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const route = routes.find(([pattern]) => pattern.test(path));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (route && link.dataset.nav === route[2]) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let page;
  try {
    page = route ? await route[1](path.match(route[0])) : h('div', {}, h('h1', {}, 'Not found'), h('p', {}, `There is no page at ${path}.`));
  } catch (error) {
    page = h('div', {}, h('h1', {}, 'Something went wrong'), errorMessage(error));
  }
  if (ticket !== rendering) return; // a later navigation won
  main.replaceChildren(page);
  const heading = main.querySelector('h1');
  if (heading) document.title = `${heading.textContent} · AutoRec.NET`;
}

/** Goes to a page of this app without reloading. */
export function navigate(path) {
  history.pushState({}, '', path);
  render();
  main.focus();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || link.target || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/v1/') || url.pathname.startsWith('/openapi')) return;
  event.preventDefault();
  navigate(url.pathname);
});
window.addEventListener('popstate', render);

document.getElementById('goto-user').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = event.target.user.value.trim();
  if (/^\d+$/.test(id)) navigate(`/users/${id}`);
});

// On 401 the page asks for the key; a refused key says so and asks again, cancelling gives up.
const dialog = document.getElementById('api-key-dialog');
onKeyNeeded((refused) => new Promise((resolve) => {
  const error = document.getElementById('api-key-error');
  error.hidden = !refused;
  error.textContent = refused ? 'That key was refused (401): check the service\'s Serving:ApiKey.' : '';
  const input = document.getElementById('api-key');
  input.value = '';
  dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' && input.value ? input.value : null), { once: true });
  dialog.showModal();
  input.focus();
}));

render();
