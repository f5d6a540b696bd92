// The visitor's own ratings: kept in this browser (localStorage) and sent to the service only as a request body.

const storage = 'autorec.ratings';

/** Ratings by movie id: { movieId: { rating, title, year, genres } }. */
export function load() {
  try {
    return JSON.parse(localStorage.getItem(storage)) || {};
  } catch {
    return {};
  }
}

export function save(ratings) {
  localStorage.setItem(storage, JSON.stringify(ratings));
}

/** The body's ratings: movie id to rating, only the rated ones. */
export function asRequest(ratings) {
  return Object.fromEntries(Object.entries(ratings).filter(([, r]) => r.rating > 0).map(([id, r]) => [id, r.rating]));
}
