#!/usr/bin/env node
// Test RMSE of an AutoRec model.onnx on the pipeline's split Parquet files, with no AutoRec code involved:
// onnxruntime-node runs the graph, hyparquet reads the Parquet files, protobufjs reads the model's metadata.
//
//   node evaluate.js MODEL.onnx TRAIN.parquet TEST.parquet
//
// Each network row is built from the training ratings (user-based: a user's ratings by movie id; item-based:
// a movie's ratings by user id; 0 = unknown) and every test rating is read off its row's predictions, as
// ModelEvaluator in AutoRec.Inference and the pipeline's training and validate stages do. Prints one JSON line:
//   {"test_rmse":..,"test_rmse_user_mean":..,"test_ratings":..,"skipped":..,"kind":..,"seconds":..}
// test_rmse is over all scored test ratings, test_rmse_user_mean the mean over users of each user's RMSE
// (both null when nothing was scored); skipped counts test ratings whose output column (the movie of a
// user-based model, the user of an item-based one) is not in the model. Exit codes: 0 done, 1 error,
// 2 a model this example cannot serve (one that takes side features).
'use strict';

const fs = require('fs');
const ort = require('onnxruntime-node');
const protobuf = require('protobufjs');

const BATCH_SIZE = 256;
const USAGE = 'usage: node evaluate.js MODEL.onnx TRAIN.parquet TEST.parquet';

// Just the part of onnx.proto we read; protobufjs skips every other field (the graph included) unparsed.
const onnx = protobuf.Root.fromJSON({
  nested: {
    StringStringEntryProto: {
      fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
    },
    ModelProto: {
      fields: { metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 } },
    },
  },
});

function fail(message, code = 1) {
  console.error(`error: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  if (argv.length !== 3 || argv.some((a) => a.startsWith('--'))) fail(USAGE);
  const [model, train, test] = argv;
  for (const path of argv) {
    if (!fs.existsSync(path)) fail(`${path}: file not found`);
  }
  return { model, train, test };
}

// metadata_props of the ONNX file (onnxruntime-node does not expose custom metadata).
function readMetadata(path) {
  const model = onnx.lookupType('ModelProto').decode(fs.readFileSync(path));
  const props = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  for (const key of ['autorec.kind', 'autorec.input_ids', 'autorec.output_ids', 'autorec.rating_min', 'autorec.rating_max']) {
    if (!(key in props)) fail(`${path} is not an AutoRec model: metadata '${key}' is missing`);
  }
  const kind = props['autorec.kind'];
  if (kind !== 'user-based' && kind !== 'item-based') fail(`${path}: unknown autorec.kind '${kind}'`);
  return {
    kind,
    inputIds: JSON.parse(props['autorec.input_ids']),
    outputIds: JSON.parse(props['autorec.output_ids']),
    ratingMin: Number(props['autorec.rating_min']),
    ratingMax: Number(props['autorec.rating_max']),
    sideFeatures: JSON.parse(props['autorec.side_features'] ?? '[]'),
  };
}

// A ratings Parquet file (user_id int32, movie_id int32, rating float32, ...) as three typed arrays.
async function readRatings(hyparquet, path) {
  const file = await hyparquet.asyncBufferFromFile(path);
  const metadata = await hyparquet.parquetMetadataAsync(file);
  const count = Number(metadata.num_rows);
  const names = new Set(metadata.schema.map((s) => s.name));
  for (const column of ['user_id', 'movie_id', 'rating']) {
    if (!names.has(column)) fail(`${path} is not a ratings file: column '${column}' is missing`);
  }
  const columns = { user_id: new Int32Array(count), movie_id: new Int32Array(count), rating: new Float32Array(count) };
  await hyparquet.parquetRead({
    file,
    metadata,
    columns: Object.keys(columns),
    onChunk: ({ columnName, columnData, rowStart }) => columns[columnName].set(columnData, rowStart),
  });
  return { count, userIds: columns.user_id, movieIds: columns.movie_id, ratings: columns.rating };
}

function indexOf(ids) {
  return new Map(ids.map((id, column) => [id, column]));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const meta = readMetadata(args.model);
  const session = await ort.InferenceSession.create(args.model);
  if (meta.sideFeatures.length > 0 || session.inputNames.includes('side')) {
    fail(
      `${args.model} takes ${meta.sideFeatures.length} side features per row, which this example does not support: ` +
        'evaluate it with ModelEvaluator in the AutoRec.Inference library (it reads users.parquet or movies.parquet).',
      2,
    );
  }

  const hyparquet = await import('hyparquet'); // ESM-only package
  const train = await readRatings(hyparquet, args.train);
  const test = await readRatings(hyparquet, args.test);

  // Rows: a user's ratings by movie (user-based) or a movie's ratings by user (item-based).
  const userRows = meta.kind === 'user-based';
  const inputColumn = indexOf(meta.inputIds);
  const outputColumn = indexOf(meta.outputIds);
  const inputEntity = userRows ? 'movie' : 'user';
  const rows = new Map(); // row id -> [column, rating, column, rating, ...]
  for (let i = 0; i < train.count; i++) {
    const [rowId, inputId] = userRows ? [train.userIds[i], train.movieIds[i]] : [train.movieIds[i], train.userIds[i]];
    const column = inputColumn.get(inputId);
    const rating = train.ratings[i];
    if (column === undefined) fail(`${args.train}: ${inputEntity} ${inputId} is not in the model (it knows ${meta.inputIds.length} ${inputEntity}s)`);
    if (!Number.isFinite(rating) || rating < meta.ratingMin || rating > meta.ratingMax) {
      fail(`${args.train}: rating ${rating} of ${inputEntity} ${inputId} is off the model's scale ${meta.ratingMin}..${meta.ratingMax}`);
    }
    let row = rows.get(rowId);
    if (row === undefined) rows.set(rowId, (row = []));
    row.push(column, rating);
  }

  // Test pairs grouped by row, so each row runs through the network once.
  const pairsByRow = new Map(); // row id -> test indices
  const columnOf = new Int32Array(test.count);
  let skipped = 0;
  for (let i = 0; i < test.count; i++) {
    const [rowId, outputId] = userRows ? [test.userIds[i], test.movieIds[i]] : [test.movieIds[i], test.userIds[i]];
    const column = outputColumn.get(outputId);
    if (column === undefined) {
      skipped++;
      columnOf[i] = -1;
      continue;
    }
    columnOf[i] = column;
    let pairs = pairsByRow.get(rowId);
    if (pairs === undefined) pairsByRow.set(rowId, (pairs = []));
    pairs.push(i);
  }

  const inputWidth = meta.inputIds.length;
  const outputWidth = meta.outputIds.length;
  const predicted = new Float32Array(test.count);
  const rowIds = [...pairsByRow.keys()];
  for (let start = 0; start < rowIds.length; start += BATCH_SIZE) {
    const batch = rowIds.slice(start, start + BATCH_SIZE);
    const input = new Float32Array(batch.length * inputWidth); // 0 = unknown; the graph fills the model's default
    batch.forEach((rowId, r) => {
      const row = rows.get(rowId) ?? []; // a row without training ratings stays all unknown
      for (let k = 0; k < row.length; k += 2) input[r * inputWidth + row[k]] = row[k + 1];
    });
    const results = await session.run({ ratings: new ort.Tensor('float32', input, [batch.length, inputWidth]) });
    const output = results.predictions.data; // already clipped to the rating scale by the graph
    batch.forEach((rowId, r) => {
      for (const i of pairsByRow.get(rowId)) predicted[i] = output[r * outputWidth + columnOf[i]];
    });
  }

  // RMSE over all scored ratings and the mean of per-user RMSEs, in double precision.
  let total = 0;
  let scored = 0;
  const perUser = new Map(); // user id -> [sum of squared errors, count]
  for (let i = 0; i < test.count; i++) {
    if (columnOf[i] < 0) continue;
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
    kind: meta.kind,
    seconds: Math.round(seconds * 1000) / 1000,
  }));
}

main().catch((e) => fail(e.message));
