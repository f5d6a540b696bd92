#!/usr/bin/env node
// Top-10 recommendations from an AutoRec model.onnx, or a blend (blend.json), for one user.
//
//   node top10.js MODEL --ratings movieId:rating,...            a user given by their ratings: user-based models, and
//                                                               item-based ones through foldin.onnx beside MODEL (--foldin F)
//   node top10.js MODEL --user USER_ID --train TRAIN.parquet    either kind: a user of the training data
//   options: --count N (default 10), --movies movies.parquet (print titles)
//
// The model carries what is needed to use it in its metadata_props (autorec.*): the kind, the id of each
// input/output column and the rating scale. onnxruntime-node does not expose custom metadata, so autorec.js
// reads it with protobufjs from the ONNX file itself.
//
// An item-based model's new user goes through its fold-in graph (foldin.onnx, written by the pipeline's export
// beside model.onnx): the rated movies and ratings in, every movie's prediction out, as AutoRec.Inference folds a
// new user in (ridge regression on the movies' codes, solved by conjugate gradients in the graph).
// A user-based model's input is one user's ratings by movie: the user's row is --ratings, or their ratings in
// TRAIN.parquet. An item-based model's input is one movie's ratings by every user, so a user's predictions
// need every movie's row: they are built from TRAIN.parquet (every movie in it), run in batches of 256, and the
// user's column is read off each, as AutoRec.Inference's Recommender.Create does for item-based models.
// A blend (blend.json, the pipeline's default model) scores the movies of its first member as
// clip(intercept + sum of weight x member's prediction), each member its own way (a new user of an item-based
// member through that member's foldin.onnx), as AutoRec.Inference serves a blend.
// Either way the movies the user rated (in --ratings or TRAIN.parquet) are left out; best first, equal scores
// by ascending movie id. Exit codes: 0 done, 1 error, 2 a model this example cannot serve this way (side
// features; an item-based model given --ratings).
'use strict';

const fs = require('fs');
const path = require('path');
const { fail, readBlendManifest, readMetadata, readFoldInMetadata, foldIn, openSession, takesSideFeatures, readRatings, readTitles, indexOf, buildRows, runRows } =
  require('./autorec');

const USAGE =
  'usage: node top10.js MODEL [--ratings movieId:rating,... | --user USER_ID --train TRAIN.parquet] ' +
  '[--movies movies.parquet] [--count N] [--foldin foldin.onnx]';

function parseArgs(argv) {
  const args = { model: undefined, ratings: undefined, user: undefined, train: undefined, movies: undefined, count: 10, foldin: undefined };
  const options = { '--ratings': 'ratings', '--user': 'user', '--train': 'train', '--movies': 'movies', '--count': 'count', '--foldin': 'foldin' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name in options) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`${name} needs a value\n${USAGE}`);
      args[options[name]] = value;
    } else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      fail(`unknown option ${arg}\n${USAGE}`);
    } else if (args.model === undefined) {
      args.model = arg;
    } else {
      fail(`unexpected argument ${arg}\n${USAGE}`);
    }
  }
  if (args.model === undefined) fail(USAGE);
  args.count = Number(args.count);
  if (!Number.isInteger(args.count) || args.count < 0) fail('--count must be a whole number, 0 or more');
  if (args.user !== undefined) {
    if (!/^-?\d+$/.test(args.user)) fail(`--user must be a user id, not '${args.user}'`);
    args.user = Number(args.user);
    if (args.ratings !== undefined) fail(`give either --ratings or --user, not both\n${USAGE}`);
    if (args.train === undefined) fail(`--user needs --train TRAIN.parquet (the training ratings the user's predictions are built from)\n${USAGE}`);
  } else if (args.train !== undefined) {
    fail(`--train goes with --user USER_ID\n${USAGE}`);
  }
  return args;
}

// "1:5,50:4" -> Map(movieId -> rating), checked against the model's movie ids and scale.
function parseRatings(text, meta, movieIds = meta.inputIds) {
  const known = new Set(movieIds);
  const ratings = new Map();
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const match = /^(-?\d+):([^:]+)$/.exec(part);
    if (!match) fail(`'${part}' is not movieId:rating`);
    const movieId = Number(match[1]);
    const rating = Number(match[2]);
    if (!known.has(movieId)) fail(`movie ${movieId} is not in the model`);
    if (!Number.isFinite(rating) || rating < meta.ratingMin || rating > meta.ratingMax) {
      fail(`rating ${match[2]} of movie ${movieId} is off the scale ${meta.ratingMin}..${meta.ratingMax}`);
    }
    ratings.set(movieId, rating);
  }
  return ratings;
}

// The `count` best of movieIds by scores (same order), leaving out `rated`: best first, equal scores by
// ascending movie id, as the C# library does.
function topN(movieIds, scores, rated, count) {
  const candidates = [];
  movieIds.forEach((movieId, i) => {
    if (!rated.has(movieId)) candidates.push({ movieId, score: scores[i] });
  });
  return candidates.sort((a, b) => b.score - a.score || a.movieId - b.movieId).slice(0, count);
}

// Each scorer below gives { header, input, movieIds, scores (in movieIds order), rated (left out of the top N) }.

// A user-based model: one row, the user's ratings by movie (`ratings`, or theirs in the training file).
async function userBased(args, meta, session, ratings) {
  let row; // [column, rating, column, rating, ...]
  let described;
  if (args.user === undefined) {
    const column = indexOf(meta.inputIds);
    row = [...ratings].flatMap(([movieId, rating]) => [column.get(movieId), rating]);
    described = `${ratings.size} rating(s)`;
  } else {
    const train = await readRatings(args.train);
    row = buildRows(meta, train, args.train).get(args.user);
    if (row === undefined) fail(`user ${args.user} has no ratings in ${args.train}: give their ratings with --ratings instead`);
  }
  const rated = new Set();
  for (let k = 0; k < row.length; k += 2) rated.add(meta.inputIds[row[k]]);
  described ??= `user ${args.user}, ${rated.size} rating(s) in ${args.train}`;

  let predictions;
  await runRows(session, meta, [0], new Map([[0, row]]), (_, output) => (predictions = Float32Array.from(output)));
  return { header: `${meta.outputIds.length} movies`, input: described, movieIds: meta.outputIds, scores: predictions, rated };
}

// An item-based model: every movie of the training file is a row (its ratings by user); the user's prediction
// for a movie is the user's column of that movie's row.
async function itemBased(args, meta, session) {
  const userColumn = indexOf(meta.outputIds).get(args.user);
  if (userColumn === undefined) {
    fail(`user ${args.user} is not in the model: an item-based model only predicts the ${meta.outputIds.length} users it was trained with`);
  }
  const train = await readRatings(args.train);
  const rows = buildRows(meta, train, args.train); // movie id -> its ratings by user column
  const movieIds = [...rows.keys()].sort((a, b) => a - b);
  const rated = new Set();
  for (let i = 0; i < train.count; i++) {
    if (train.userIds[i] === args.user) rated.add(train.movieIds[i]);
  }

  const scores = new Float32Array(movieIds.length);
  let next = 0; // runRows reads the rows in the order given
  await runRows(session, meta, movieIds, rows, (_, output) => (scores[next++] = output[userColumn]));
  return {
    header: `${meta.outputIds.length} users`,
    input: `user ${args.user}, ${rated.size} rating(s) in ${args.train}, ${movieIds.length} movies scored`,
    movieIds,
    scores,
    rated,
  };
}

// An item-based model and a user given by ratings: the fold-in graph.
async function newUserOfItemBased(meta, foldin, foldinPath, ratings) {
  if (ratings.size === 0) fail('--ratings needs at least one movieId:rating for the fold-in');
  const session = await openSession(foldinPath);
  return {
    header: `${meta.outputIds.length} users, ${foldin.movieIds.length} movies through ${path.basename(foldinPath)}`,
    input: `${ratings.size} rating(s), folded in (${foldin.steps} conjugate-gradient steps)`,
    movieIds: foldin.movieIds,
    scores: await foldIn(session, foldin, ratings),
    rated: new Set(ratings.keys()),
  };
}

// What one model file scores for the user the arguments name; `ratingsMovies` are the movies --ratings may name
// (a blend's), else the model's own.
async function scoreModel(args, modelPath, foldinOption, ratingsMovies) {
  const meta = readMetadata(modelPath);
  const foldinPath = foldinOption ?? path.join(path.dirname(modelPath), 'foldin.onnx');
  if (meta.kind === 'item-based' && args.user === undefined) {
    if (!fs.existsSync(foldinPath)) {
      fail(
        `${modelPath} is an item-based model: its input is one movie's ratings by all ${meta.inputIds.length} users, ` +
          'not a user\'s ratings, and there is no fold-in graph beside it (foldin.onnx, written by the export stage, ' +
          'or --foldin): give --user USER_ID --train TRAIN.parquet instead of --ratings.',
        2,
      );
    }
    const foldin = readFoldInMetadata(foldinPath);
    return { meta, ...(await newUserOfItemBased(meta, foldin, foldinPath, parseRatings(args.ratings ?? '', meta, ratingsMovies ?? foldin.movieIds))) };
  }
  const session = await openSession(modelPath);
  if (takesSideFeatures(meta, session)) {
    const per = meta.kind === 'user-based' ? 'user' : 'movie';
    fail(`${modelPath} needs ${meta.sideFeatures.length} side features per ${per}, which this example does not supply`, 2);
  }
  if (meta.kind === 'user-based') {
    const ratings = args.user === undefined ? parseRatings(args.ratings ?? '', meta, ratingsMovies ?? meta.inputIds) : undefined;
    return { meta, ...(await userBased(args, meta, session, ratings)) };
  }
  return { meta, ...(await itemBased(args, meta, session)) };
}

// A blend (blend.json): clip(intercept + sum of weight x member's prediction) of every movie of its first member
// (each member's own way: an item-based member folds a new user in through its foldin.onnx), as AutoRec.Inference
// serves a blend; the movies the user rated are left out.
async function scoreBlend(args, manifestPath) {
  const manifest = readBlendManifest(manifestPath);
  const scoredMembers = [];
  let firstMovies;
  for (const member of manifest.members) {
    let movies = firstMovies;
    if (movies === undefined && args.user === undefined) {
      // A new user's ratings name the blend's movies: the first member's (its fold-in graph's, when item-based).
      const meta = readMetadata(member.file);
      const foldinPath = path.join(path.dirname(member.file), 'foldin.onnx');
      movies = meta.kind === 'item-based' && fs.existsSync(foldinPath) ? readFoldInMetadata(foldinPath).movieIds : meta.inputIds;
    }
    const scored = await scoreModel(args, member.file, undefined, movies);
    firstMovies ??= scored.movieIds;
    const column = indexOf(scored.movieIds);
    scoredMembers.push({ name: member.name, scored, column });
  }
  const first = scoredMembers[0].scored;
  const userRatings = first.rated.size; // the new user's ratings, or the training user's
  const predictions = new Float64Array(scoredMembers.length);
  const blended = firstMovies.map((movieId) => {
    scoredMembers.forEach(({ name, scored, column }, k) => {
      const c = column.get(movieId);
      if (c === undefined) fail(`member '${name}' does not score movie ${movieId} of the blend's first member`);
      predictions[k] = scored.scores[c];
    });
    return manifest.combine(predictions, userRatings, movieId);
  });
  const scores = Float32Array.from(blended, (v) => Math.min(Math.max(v, first.meta.ratingMin), first.meta.ratingMax));
  return {
    meta: { ...first.meta, kind: 'blend' },
    header: `${manifest.members.length} members (${manifest.members.map((m) => `${m.name} ${m.weight.toFixed(3)}`).join(', ')}${manifest.supported ? ', weighted by support' : ''}), ${firstMovies.length} movies`,
    input: first.input,
    movieIds: firstMovies,
    scores,
    rated: first.rated,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const scored = args.model.toLowerCase().endsWith('.json')
    ? await scoreBlend(args, args.model)
    : await scoreModel(args, args.model, args.foldin, undefined);
  const titles = args.movies === undefined ? undefined : await readTitles(args.movies);
  print(args, scored.meta, titles, { ...scored, top: topN(scored.movieIds, scored.scores, scored.rated, args.count) });
}

function print(args, meta, titles, { header, input, top }) {
  console.log(`model: ${args.model} (${meta.kind}, ${meta.dataset}, ${header}, ratings ${meta.ratingMin}..${meta.ratingMax})`);
  console.log(`input: ${input}`);
  console.log(titles === undefined ? 'rank  movie_id     score' : 'rank  movie_id     score  title');
  top.forEach((p, i) => {
    const line = `${String(i + 1).padStart(4)}  ${String(p.movieId).padStart(8)}  ${p.score.toFixed(6)}`;
    console.log(titles === undefined ? line : `${line}  ${titles.get(p.movieId) ?? '(not in movies file)'}`);
  });
}

main().catch((e) => fail(e.message));
