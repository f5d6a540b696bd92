// What top10.js and evaluate.js share: the model's metadata, the pipeline's Parquet files, the network's rows
// built from training ratings and running them through onnxruntime-node in batches.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
const protobuf = require('protobufjs');

const BATCH_SIZE = 256;

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

// metadata_props of the ONNX file (ModelProto field 14): onnxruntime-node does not expose custom metadata.
function readMetadata(path) {
  if (!fs.existsSync(path)) fail(`${path}: model file not found`);
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
    dataset: props['autorec.dataset'] ?? '?',
    sideFeatures: JSON.parse(props['autorec.side_features'] ?? '[]'),
  };
}

// The fold-in graph's metadata (foldin.onnx beside an item-based model.onnx): the movie of each row of its output.
function readFoldInMetadata(path) {
  if (!fs.existsSync(path)) fail(`${path}: fold-in file not found`);
  const model = onnx.lookupType('ModelProto').decode(fs.readFileSync(path));
  const props = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  if (props['autorec.foldin.format'] !== 'autorec-foldin/1') fail(`${path} is not an AutoRec fold-in graph (autorec.foldin.format is not autorec-foldin/1)`);
  return {
    movieIds: JSON.parse(props['autorec.foldin.movie_ids']),
    steps: Number(props['autorec.foldin.steps']),
    ratingMin: Number(props['autorec.rating_min']),
    ratingMax: Number(props['autorec.rating_max']),
  };
}

// A new user's predictions of every movie from the fold-in graph: their rated movies' rows and ratings in.
async function foldIn(session, foldin, ratings) {
  const row = indexOf(foldin.movieIds);
  const movies = [...ratings.keys()];
  const indices = BigInt64Array.from(movies, (movieId) => BigInt(row.get(movieId)));
  const values = Float32Array.from(movies, (movieId) => ratings.get(movieId));
  const results = await session.run({
    movie_indices: new ort.Tensor('int64', indices, [indices.length]),
    ratings: new ort.Tensor('float32', values, [values.length]),
  });
  return results.predictions.data;
}

// A model.onnx whose export also wrote compact.onnx beside it (the model over its compact factors: what
// AutoRec.Inference serves from compact.bin, same inputs, outputs and metadata) is run as that, so that both agree.
function servedModelPath(modelPath) {
  const compact = path.join(path.dirname(modelPath), 'compact.onnx');
  return path.basename(modelPath) === 'model.onnx' && fs.existsSync(compact) ? compact : modelPath;
}

function openSession(modelPath) {
  return ort.InferenceSession.create(servedModelPath(modelPath));
}

// Whether the model takes side features (a `side` input), which these examples do not supply.
function takesSideFeatures(meta, session) {
  return meta.sideFeatures.length > 0 || session.inputNames.includes('side');
}

let hyparquetModule;
async function hyparquet() {
  hyparquetModule ??= await import('hyparquet'); // ESM-only package
  return hyparquetModule;
}

// The named columns of a Parquet file, each filled by make(count) (a typed array or an Array).
async function readColumns(path, what, columns) {
  if (!fs.existsSync(path)) fail(`${path}: file not found`);
  const hp = await hyparquet();
  const file = await hp.asyncBufferFromFile(path);
  const metadata = await hp.parquetMetadataAsync(file);
  const count = Number(metadata.num_rows);
  const names = new Set(metadata.schema.map((s) => s.name));
  for (const column of Object.keys(columns)) {
    if (!names.has(column)) fail(`${path} is not a ${what} file: column '${column}' is missing`);
  }
  const data = Object.fromEntries(Object.entries(columns).map(([name, make]) => [name, make(count)]));
  await hp.parquetRead({
    file,
    metadata,
    columns: Object.keys(columns),
    onChunk: ({ columnName, columnData, rowStart }) => {
      const target = data[columnName];
      if (Array.isArray(target)) for (let i = 0; i < columnData.length; i++) target[rowStart + i] = columnData[i];
      else target.set(columnData, rowStart);
    },
  });
  return { count, data };
}

// A ratings Parquet file (user_id int32, movie_id int32, rating float32, ...) as three typed arrays.
async function readRatings(path) {
  const { count, data } = await readColumns(path, 'ratings', {
    user_id: (n) => new Int32Array(n),
    movie_id: (n) => new Int32Array(n),
    rating: (n) => new Float32Array(n),
  });
  return { count, userIds: data.user_id, movieIds: data.movie_id, ratings: data.rating };
}

// movies.parquet (movie_id int32, title, genres) as Map(movie id -> title); a later duplicate id wins.
async function readTitles(path) {
  const { count, data } = await readColumns(path, 'movies', { movie_id: (n) => new Int32Array(n), title: (n) => new Array(n) });
  const titles = new Map();
  for (let i = 0; i < count; i++) titles.set(data.movie_id[i], data.title[i] ?? '');
  return titles;
}

function indexOf(ids) {
  return new Map(ids.map((id, column) => [id, column]));
}

// The network's rows from ratings: a user's ratings by movie (user-based) or a movie's ratings by user
// (item-based), as Map(row id -> [column, rating, column, rating, ...]). A rating whose input id the model does
// not know or that is off its scale is an error: `source` (the file) is not the model's data.
function buildRows(meta, train, source) {
  const userRows = meta.kind === 'user-based';
  const inputColumn = indexOf(meta.inputIds);
  const inputEntity = userRows ? 'movie' : 'user';
  const rows = new Map();
  for (let i = 0; i < train.count; i++) {
    const [rowId, inputId] = userRows ? [train.userIds[i], train.movieIds[i]] : [train.movieIds[i], train.userIds[i]];
    const column = inputColumn.get(inputId);
    const rating = train.ratings[i];
    if (column === undefined) fail(`${source}: ${inputEntity} ${inputId} is not in the model (it knows ${meta.inputIds.length} ${inputEntity}s)`);
    if (!Number.isFinite(rating) || rating < meta.ratingMin || rating > meta.ratingMax) {
      fail(`${source}: rating ${rating} of ${inputEntity} ${inputId} is off the model's scale ${meta.ratingMin}..${meta.ratingMax}`);
    }
    let row = rows.get(rowId);
    if (row === undefined) rows.set(rowId, (row = []));
    row.push(column, rating);
  }
  return rows;
}

// Runs the rows `rowIds` (a row not in `rows` stays all unknown: 0, which the graph fills with the model's
// default) in batches of BATCH_SIZE; read(rowId, predictions) gets each row's output, already clipped to the
// rating scale by the graph. The predictions view is only valid during the call.
async function runRows(session, meta, rowIds, rows, read) {
  const inputWidth = meta.inputIds.length;
  const outputWidth = meta.outputIds.length;
  for (let start = 0; start < rowIds.length; start += BATCH_SIZE) {
    const batch = rowIds.slice(start, start + BATCH_SIZE);
    const input = new Float32Array(batch.length * inputWidth);
    batch.forEach((rowId, r) => {
      const row = rows.get(rowId) ?? [];
      for (let k = 0; k < row.length; k += 2) input[r * inputWidth + row[k]] = row[k + 1];
    });
    const results = await session.run({ ratings: new ort.Tensor('float32', input, [batch.length, inputWidth]) });
    const output = results.predictions.data;
    batch.forEach((rowId, r) => read(rowId, output.subarray(r * outputWidth, (r + 1) * outputWidth)));
  }
}

// A blend manifest (blend.json, format autorec-blend/1): its members with their model files resolved.
function readBlendManifest(manifestPath) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    fail(`${manifestPath}: not a blend manifest: ${e.message}`);
  }
  const supported = manifest.format === 'autorec-blend/2';
  if (!(supported || manifest.format === 'autorec-blend/1') || !Array.isArray(manifest.members) || manifest.members.length === 0) {
    fail(`${manifestPath}: not an autorec-blend/1 or /2 manifest with members`);
  }
  if (supported !== (manifest.support !== undefined && manifest.support !== null)) {
    fail(`${manifestPath}: autorec-blend/2 has "support" and autorec-blend/1 has none`);
  }
  const folder = path.dirname(manifestPath);
  const members = manifest.members.map((member) => {
    const file = path.resolve(folder, member.model);
    if (!fs.existsSync(file)) fail(`${file}: file not found (member '${member.name}' of ${manifestPath})`);
    return { name: member.name, file, weight: member.weight };
  });
  return { name: manifest.name, intercept: manifest.intercept, members, supported, combine: combiner(manifest) };
}

// x to a small whole power by multiplication, as AutoRec.Contracts.BlendSupport computes it.
function power(x, p) {
  let result = 1;
  for (let i = 0; i < p; i++) result *= x;
  return result;
}

// How a blend combines its members' predictions of one (user, movie), unclipped: intercept + sum of weight x
// prediction, and for a support-weighted blend (autorec-blend/2) each term's
// g x (intercept + sum of weight x prediction), g = z_u^user_power x z_m^movie_power, z_u = ln(1 + the user's
// ratings) - user_center, z_m = ln(1 + the movie's training ratings in the manifest) - movie_center, each logarithm
// first held to the range the weights were fit on (user_range, movie_range).
// A user with fewer ratings than any the weights were fit on
// (ln(1 + ratings) below user_range) gets the intercept and member weights alone, as AutoRec.Inference serves them.
function combiner(manifest) {
  const weights = manifest.members.map((m) => m.weight);
  const support = manifest.support;
  const movieRatings = new Map();
  if (support) support.movie_ids.forEach((id, i) => movieRatings.set(id, support.movie_ratings[i]));
  return (predictions, userRatings, movieId) => {
    let sum = manifest.intercept;
    for (let k = 0; k < weights.length; k++) sum += weights[k] * predictions[k];
    if (!support) return sum;
    const clamp = (x, [low, high]) => Math.min(Math.max(x, low), high);
    if (Math.log(1 + userRatings) < support.user_range[0]) return sum;
    const zu = clamp(Math.log(1 + userRatings), support.user_range) - support.user_center;
    const zm = clamp(Math.log(1 + (movieRatings.get(movieId) ?? 0)), support.movie_range) - support.movie_center;
    for (const term of support.terms) {
      let part = term.intercept;
      for (let k = 0; k < weights.length; k++) part += term.weights[k] * predictions[k];
      sum += power(zu, term.user_power) * power(zm, term.movie_power) * part;
    }
    return sum;
  };
}

module.exports = {
  BATCH_SIZE,
  fail,
  readBlendManifest,
  readMetadata,
  readFoldInMetadata,
  foldIn,
  openSession,
  takesSideFeatures,
  readRatings,
  readTitles,
  indexOf,
  buildRows,
  runRows,
};
