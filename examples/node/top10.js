#!/usr/bin/env node
// Top-10 recommendations from an AutoRec model.onnx for a user given by their ratings.
//
//   node top10.js MODEL [--ratings movieId:rating,...] [--count N]
//
// The model carries everything needed to use it: the movie id of each input/output column and the rating
// scale are in its metadata_props (autorec.*). onnxruntime-node does not expose custom metadata, so they are
// read with protobufjs from the ONNX file itself (ModelProto field 14), skipping the graph.
'use strict';

const fs = require('fs');
const ort = require('onnxruntime-node');
const protobuf = require('protobufjs');

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

const USAGE = 'usage: node top10.js MODEL [--ratings movieId:rating,...] [--count N]';

function fail(message, code = 1) {
  console.error(`error: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  const args = { model: undefined, ratings: '', count: 10 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--ratings') {
      args.ratings = argv[++i] ?? fail('--ratings needs a value, e.g. 1:5,50:4');
    } else if (arg.startsWith('--ratings=')) {
      args.ratings = arg.slice('--ratings='.length);
    } else if (arg === '--count') {
      args.count = Number(argv[++i]);
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
  if (!Number.isInteger(args.count) || args.count < 0) fail('--count must be a whole number, 0 or more');
  return args;
}

function readMetadata(path) {
  const model = onnx.lookupType('ModelProto').decode(fs.readFileSync(path));
  const props = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  for (const key of ['autorec.kind', 'autorec.input_ids', 'autorec.output_ids', 'autorec.rating_min', 'autorec.rating_max']) {
    if (!(key in props)) fail(`${path} is not an AutoRec model: metadata '${key}' is missing`);
  }
  return {
    kind: props['autorec.kind'],
    inputIds: JSON.parse(props['autorec.input_ids']),
    outputIds: JSON.parse(props['autorec.output_ids']),
    ratingMin: Number(props['autorec.rating_min']),
    ratingMax: Number(props['autorec.rating_max']),
    dataset: props['autorec.dataset'] ?? '?',
    sideFeatures: JSON.parse(props['autorec.side_features'] ?? '[]'),
  };
}

// "1:5,50:4" -> Map(movieId -> rating), checked against the model's ids and scale.
function parseRatings(text, meta) {
  const ratings = new Map();
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const match = /^(-?\d+):([^:]+)$/.exec(part);
    if (!match) fail(`'${part}' is not movieId:rating`);
    const movieId = Number(match[1]);
    const rating = Number(match[2]);
    if (!meta.inputIds.includes(movieId)) fail(`movie ${movieId} is not in the model`);
    if (!Number.isFinite(rating) || rating < meta.ratingMin || rating > meta.ratingMax) {
      fail(`rating ${match[2]} of movie ${movieId} is off the scale ${meta.ratingMin}..${meta.ratingMax}`);
    }
    ratings.set(movieId, rating);
  }
  return ratings;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(args.model)) fail(`${args.model}: model file not found`);
  const meta = readMetadata(args.model);
  if (meta.kind !== 'user-based') {
    fail(
      `${args.model} is an ${meta.kind} model: its input is one movie's ratings by all ${meta.inputIds.length} users, ` +
        'so a user\'s top 10 needs every movie\'s row from the training data. Use a user-based model here, ' +
        'or ItemBasedPredictions in the AutoRec.Inference library.',
      2,
    );
  }
  if (meta.sideFeatures.length > 0) {
    fail(`this model needs ${meta.sideFeatures.length} side features per user, which this example does not supply`, 2);
  }

  const ratings = parseRatings(args.ratings, meta);
  const input = new Float32Array(meta.inputIds.length); // 0 = unknown; the graph fills the model's default
  meta.inputIds.forEach((id, column) => {
    if (ratings.has(id)) input[column] = ratings.get(id);
  });

  const session = await ort.InferenceSession.create(args.model);
  const results = await session.run({ ratings: new ort.Tensor('float32', input, [1, input.length]) });
  const predictions = results.predictions.data;

  // Best first; equal scores by ascending movie id, as the C# library does. Movies the user rated are left out.
  const top = meta.outputIds
    .map((movieId, column) => ({ movieId, score: predictions[column] }))
    .filter((p) => !ratings.has(p.movieId))
    .sort((a, b) => b.score - a.score || a.movieId - b.movieId)
    .slice(0, args.count);

  console.log(`model: ${args.model} (${meta.kind}, ${meta.dataset}, ${meta.outputIds.length} movies, ratings ${meta.ratingMin}..${meta.ratingMax})`);
  console.log(`input: ${ratings.size} rating(s)`);
  console.log('rank  movie_id     score');
  top.forEach((p, i) => {
    console.log(`${String(i + 1).padStart(4)}  ${String(p.movieId).padStart(8)}  ${p.score.toFixed(6)}`);
  });
}

main().catch((e) => fail(e.message));
