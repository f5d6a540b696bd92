#!/usr/bin/env node
// Test RMSE of an AutoRec model.onnx, or of a blend (blend.json), on the pipeline's split Parquet files, with no
// AutoRec code involved: onnxruntime-node runs the graphs, hyparquet reads the Parquet files, protobufjs reads the
// models' metadata.
//
//   node evaluate.js MODEL.onnx TRAIN.parquet TEST.parquet
//   node evaluate.js blend.json TRAIN.parquet TEST.parquet
//
// Each network row is built from the training ratings (user-based: a user's ratings by movie id; item-based:
// a movie's ratings by user id; 0 = unknown) and every test rating is read off its row's predictions, as
// the pipeline's training and validate stages (ModelEvaluator in the build tasks) do. A blend's prediction is
// clip(intercept + sum of weight x member's prediction) over its members (model paths relative to blend.json; a
// support-weighted blend's weights also vary with the user's and the movie's number of ratings), and
// a test rating is scored when every member scores it, an item-based member only movies that have training ratings
// (as AutoRec.Inference serves a blend). Prints one JSON line:
//   {"test_rmse":..,"test_rmse_user_mean":..,"test_ratings":..,"skipped":..,"kind":..,"seconds":..}
// test_rmse is over all scored test ratings, test_rmse_user_mean the mean over users of each user's RMSE
// (both null when nothing was scored); skipped counts test ratings whose output column (the movie of a
// user-based model, the user of an item-based one) is not in the model; kind is "blend" for a blend. Exit codes:
// 0 done, 1 error, 2 a model this example cannot serve (one that takes side features).
'use strict';

const fs = require('fs');
const { fail, readBlendManifest, readMetadata, openSession, takesSideFeatures, readRatings, indexOf, buildRows, runRows } = require('./autorec');

const USAGE = 'usage: node evaluate.js MODEL.onnx|blend.json TRAIN.parquet TEST.parquet';

function parseArgs(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  if (argv.length !== 3 || argv.some((a) => a.startsWith('--'))) fail(USAGE);
  const [model, train, test] = argv;
  for (const file of argv) {
    if (!fs.existsSync(file)) fail(`${file}: file not found`);
  }
  return { model, train, test };
}

// The predictions of every test rating by one model (NaN where it cannot score one) and its metadata.
// trainedMoviesOnly: an item-based model scores only movies with training ratings (a blend's rule).
async function predictTest(modelPath, train, test, trainPath, trainedMoviesOnly) {
  const meta = readMetadata(modelPath);
  const session = await openSession(modelPath);
  if (takesSideFeatures(meta, session)) {
    fail(
      `${modelPath} takes ${meta.sideFeatures.length} side features per row, which this example does not support: ` +
        'evaluate it with the pipeline\'s validate stage (it reads users.parquet or movies.parquet).',
      2,
    );
  }

  // Rows: a user's ratings by movie (user-based) or a movie's ratings by user (item-based).
  const userRows = meta.kind === 'user-based';
  const rows = buildRows(meta, train, trainPath);
  const outputColumn = indexOf(meta.outputIds);

  // Test pairs grouped by row, so each row runs through the network once.
  const pairsByRow = new Map(); // row id -> test indices
  const columnOf = new Int32Array(test.count);
  const predicted = new Float32Array(test.count).fill(NaN);
  for (let i = 0; i < test.count; i++) {
    const [rowId, outputId] = userRows ? [test.userIds[i], test.movieIds[i]] : [test.movieIds[i], test.userIds[i]];
    const column = outputColumn.get(outputId);
    if (column === undefined || (trainedMoviesOnly && !userRows && !rows.has(rowId))) continue;
    columnOf[i] = column;
    let pairs = pairsByRow.get(rowId);
    if (pairs === undefined) pairsByRow.set(rowId, (pairs = []));
    pairs.push(i);
  }

  await runRows(session, meta, [...pairsByRow.keys()], rows, (rowId, output) => {
    for (const i of pairsByRow.get(rowId)) predicted[i] = output[columnOf[i]];
  });
  return { meta, predicted };
}

// A blend's predictions: its members', weighted and clipped; NaN where a member cannot score the rating.
async function predictBlend(manifestPath, train, test, trainPath) {
  const manifest = readBlendManifest(manifestPath);
  const members = [];
  let scale;
  for (const member of manifest.members) {
    const { meta, predicted } = await predictTest(member.file, train, test, trainPath, true);
    scale ??= meta;
    members.push(predicted);
  }
  const userRatings = new Map(); // user id -> their training ratings, for a support-weighted blend
  for (let i = 0; i < train.count; i++) {
    if (train.ratings[i] !== 0) userRatings.set(train.userIds[i], (userRatings.get(train.userIds[i]) ?? 0) + 1);
  }
  const blended = new Float32Array(test.count);
  const predictions = new Float64Array(members.length);
  for (let i = 0; i < test.count; i++) {
    members.forEach((m, k) => (predictions[k] = m[i])); // NaN stays NaN
    const value = manifest.combine(predictions, userRatings.get(test.userIds[i]) ?? 0, test.movieIds[i]);
    blended[i] = Math.min(Math.max(value, scale.ratingMin), scale.ratingMax);
  }
  return { kind: 'blend', predicted: blended };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const train = await readRatings(args.train);
  const test = await readRatings(args.test);
  const { kind, predicted } = args.model.toLowerCase().endsWith('.json')
    ? await predictBlend(args.model, train, test, args.train)
    : await predictTest(args.model, train, test, args.train, false).then((r) => ({ kind: r.meta.kind, predicted: r.predicted }));

  // RMSE over all scored ratings and the mean of per-user RMSEs, in double precision.
  let total = 0;
  let scored = 0;
  let skipped = 0;
  const perUser = new Map(); // user id -> [sum of squared errors, count]
  for (let i = 0; i < test.count; i++) {
    if (Number.isNaN(predicted[i])) {
      skipped++;
      continue;
    }
    const error = predicted[i] - test.ratings[i];
    const squared = error * error;
    total += squared;
    scored++;
    const user = perUser.get(test.userIds[i]);
    if (user === undefined) perUser.set(test.userIds[i], [squared, 1]);
    else {
      user[0] += squared;
      user[1]++;
    }
  }
  let userSum = 0;
  for (const [sum, count] of perUser.values()) userSum += Math.sqrt(sum / count);

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({
    test_rmse: scored > 0 ? Math.sqrt(total / scored) : null,
    test_rmse_user_mean: scored > 0 ? userSum / perUser.size : null,
    test_ratings: scored,
    skipped,
    kind,
    seconds: Math.round(seconds * 1000) / 1000,
  }));
}

main().catch((e) => fail(e.message));
