#!/usr/bin/env python3
"""Top-10 recommendations from an AutoRec model.onnx for one user.

    pip install -r requirements.txt
    python top10.py MODEL --ratings movieId:rating,...            user-based models: a user given by their ratings
    python top10.py MODEL --user USER_ID --train TRAIN.parquet    either kind: a user of the training data
    options: --count N (default 10), --movies movies.parquet (print titles)

The model carries what is needed to use it in its metadata (autorec.*): the kind, the id of each input/output
column and the rating scale. ONNX Runtime's Python API exposes it as custom_metadata_map.

A user-based model's input is one user's ratings by movie: the user's row is --ratings, or their ratings in
TRAIN.parquet. An item-based model's input is one movie's ratings by every user, so a user's predictions need
every movie's row: they are built from TRAIN.parquet (every movie in it), run in batches of 256, and the user's
column is read off each, as AutoRec.Inference's Recommender.Create does for item-based models. A new user of an
item-based model (--ratings) goes through foldin.onnx beside the model (or --foldin), the fold-in as a graph.
Either way the movies the user rated (in --ratings or TRAIN.parquet) are left out; best first, equal scores by
ascending movie id. Exit codes: 0 done, 1 error, 2 a model this example cannot serve this way (side features; an
item-based model given --ratings without a fold-in graph).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import pyarrow.parquet as pq

BATCH_SIZE = 256


def fail(message, code=1):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


class Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 1 like every other error (argparse's own code, 2, means "cannot serve" here)
        self.print_usage(sys.stderr)
        fail(message)


def parse_args():
    parser = Parser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--ratings", help="a user-based model's user given by their ratings, e.g. 1:5,50:4")
    parser.add_argument("--user", type=int, help="a user of the training data (needs --train)")
    parser.add_argument("--train", help="the training ratings (train.parquet) the user's predictions are built from")
    parser.add_argument("--movies", help="movies.parquet, to print titles")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--foldin", help="an item-based model's fold-in graph (default: foldin.onnx beside the model)")
    args = parser.parse_args()
    if args.count < 0:
        fail("--count must be a whole number, 0 or more")
    if args.user is not None:
        if args.ratings is not None:
            fail("give either --ratings or --user, not both")
        if args.train is None:
            fail("--user needs --train TRAIN.parquet (the training ratings the user's predictions are built from)")
    elif args.train is not None:
        fail("--train goes with --user USER_ID")
    return args


def read_metadata(session, path):
    meta = session.get_modelmeta().custom_metadata_map
    for key in ("autorec.kind", "autorec.input_ids", "autorec.output_ids", "autorec.rating_min", "autorec.rating_max"):
        if key not in meta:
            fail(f"{path} is not an AutoRec model: metadata '{key}' is missing")
    if meta["autorec.kind"] not in ("user-based", "item-based"):
        fail(f"{path}: unknown autorec.kind '{meta['autorec.kind']}'")
    return {
        "kind": meta["autorec.kind"],
        "input_ids": json.loads(meta["autorec.input_ids"]),
        "output_ids": json.loads(meta["autorec.output_ids"]),
        "rating_min": float(meta["autorec.rating_min"]),
        "rating_max": float(meta["autorec.rating_max"]),
        "dataset": meta.get("autorec.dataset", "?"),
        "side_features": json.loads(meta.get("autorec.side_features", "[]")),
    }


def read_columns(path, what, columns):
    if not os.path.exists(path):
        fail(f"{path}: file not found")
    try:
        names = pq.read_schema(path).names
    except Exception as e:  # pyarrow raises ArrowInvalid and OSError subclasses for files it cannot read
        fail(f"{path} is not a Parquet file: {e}")
    for column in columns:
        if column not in names:
            fail(f"{path} is not a {what} file: column '{column}' is missing")
    return pq.read_table(path, columns=list(columns))


def read_ratings(path):
    """A ratings Parquet file (user_id int32, movie_id int32, rating float32, ...) as three numpy arrays."""
    table = read_columns(path, "ratings", ("user_id", "movie_id", "rating"))
    return (
        table.column("user_id").to_numpy().astype(np.int64),
        table.column("movie_id").to_numpy().astype(np.int64),
        table.column("rating").to_numpy().astype(np.float32),
    )


def read_titles(path):
    """movies.parquet (movie_id int32, title, genres) as {movie id: title}; a later duplicate id wins."""
    table = read_columns(path, "movies", ("movie_id", "title")).to_pydict()
    return {int(m): t or "" for m, t in zip(table["movie_id"], table["title"])}


def columns_of(ids, values, entity, source):
    """The model's input column of each id in values; an id the model does not know is an error."""
    ids = np.asarray(ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    position = np.minimum(np.searchsorted(ids[order], values), len(ids) - 1)
    known = ids[order][position] == values
    if not known.all():
        unknown = int(values[np.argmin(known)])
        fail(f"{source}: {entity} {unknown} is not in the model (it knows {len(ids)} {entity}s)")
    return order[position]


def check_scale(ratings, inputs, entity, source, meta):
    """A rating off the model's scale (or not finite) is an error: the file is not the model's data."""
    bad = ~np.isfinite(ratings) | (ratings < meta["rating_min"]) | (ratings > meta["rating_max"])
    if bad.any():
        i = int(np.argmax(bad))
        fail(f"{source}: rating {ratings[i]} of {entity} {inputs[i]} is off the model's scale "
             f"{meta['rating_min']:g}..{meta['rating_max']:g}")


def run_rows(session, width, rows, columns, values, count, read):
    """Runs rows 0..count-1 (entry k sets rows[k], columns[k] to values[k]; rows ascending; a row without entries
    stays all unknown: 0, which the graph fills with the model's default) in batches of BATCH_SIZE;
    read(start, predictions) gets each batch's output, already clipped to the rating scale by the graph."""
    for start in range(0, count, BATCH_SIZE):
        end = min(start + BATCH_SIZE, count)
        lo, hi = np.searchsorted(rows, [start, end])
        batch = np.zeros((end - start, width), dtype=np.float32)
        batch[rows[lo:hi] - start, columns[lo:hi]] = values[lo:hi]
        read(start, session.run(["predictions"], {"ratings": batch})[0])


def last_of_each(keys):
    """Indices of the last entry of each distinct key, in key order (a later duplicate rating wins)."""
    reversed_first = np.unique(keys[::-1], return_index=True)[1]
    return len(keys) - 1 - reversed_first


def parse_ratings(text, meta, movie_ids=None):
    """'1:5,50:4' -> {movie id: rating}, checked against the model's movie ids and scale."""
    known = set(meta["input_ids"] if movie_ids is None else movie_ids)
    ratings = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        movie, sep, value = part.partition(":")
        if not sep:
            fail(f"'{part}' is not movieId:rating")
        try:
            movie_id, rating = int(movie), float(value)
        except ValueError:
            fail(f"'{part}' is not movieId:rating")
        if movie_id not in known:
            fail(f"movie {movie_id} is not in the model")
        if not (meta["rating_min"] <= rating <= meta["rating_max"]):
            fail(f"rating {value} of movie {movie_id} is off the scale {meta['rating_min']:g}..{meta['rating_max']:g}")
        ratings[movie_id] = rating
    return ratings


def top_n(movie_ids, scores, rated, count):
    """Best first; equal scores by ascending movie id, as the C# library does. Rated movies are left out."""
    candidates = [(float(s), int(m)) for m, s in zip(movie_ids, scores) if int(m) not in rated]
    return sorted(candidates, key=lambda p: (-p[0], p[1]))[:count]


def user_based(args, meta, session):
    """One row: the user's ratings by movie (--ratings, or theirs in the training file)."""
    if args.user is None:
        ratings = parse_ratings(args.ratings or "", meta)
        described = f"{len(ratings)} rating(s)"
    else:
        users, movies, values = read_ratings(args.train)
        columns_of(meta["input_ids"], movies, "movie", args.train)  # the file must be the model's data
        check_scale(values, movies, "movie", args.train, meta)
        mine = np.flatnonzero(users == args.user)
        if len(mine) == 0:
            fail(f"user {args.user} has no ratings in {args.train}: give their ratings with --ratings instead")
        ratings = {int(movies[i]): float(values[i]) for i in mine}  # a later duplicate wins
        described = f"user {args.user}, {len(ratings)} rating(s) in {args.train}"

    # 0 = unknown: the graph fills in the default the model was trained with.
    row = np.zeros((1, len(meta["input_ids"])), dtype=np.float32)
    for column, movie_id in enumerate(meta["input_ids"]):
        row[0, column] = ratings.get(movie_id, 0.0)
    predictions = session.run(["predictions"], {"ratings": row})[0][0]
    return f"{len(meta['output_ids'])} movies", described, top_n(meta["output_ids"], predictions, set(ratings), args.count)


def item_based(args, meta, session):
    """Every movie of the training file is a row (its ratings by user); the user's prediction for a movie is the
    user's column of that movie's row."""
    if args.user not in meta["output_ids"]:
        fail(f"user {args.user} is not in the model: an item-based model only predicts the "
             f"{len(meta['output_ids'])} users it was trained with")
    user_column = meta["output_ids"].index(args.user)
    users, movies, values = read_ratings(args.train)
    columns = columns_of(meta["input_ids"], users, "user", args.train)
    check_scale(values, users, "user", args.train, meta)

    movie_ids, rows = np.unique(movies, return_inverse=True)  # every movie in the training file, ascending
    rows = rows.reshape(-1)
    width = len(meta["input_ids"])
    keep = last_of_each(rows.astype(np.int64) * width + columns)  # sorted by row, then column
    scores = np.empty(len(movie_ids), dtype=np.float32)

    def read(start, predictions):
        scores[start:start + len(predictions)] = predictions[:, user_column]

    run_rows(session, width, rows[keep], columns[keep], values[keep], len(movie_ids), read)
    rated = set(movies[users == args.user].tolist())
    described = f"user {args.user}, {len(rated)} rating(s) in {args.train}, {len(movie_ids)} movies scored"
    return f"{len(meta['output_ids'])} users", described, top_n(movie_ids, scores, rated, args.count)


def new_user_of_item_based(args, meta, foldin_path):
    """An item-based model and a user given by ratings: the fold-in graph (foldin.onnx, written by the pipeline's
    export beside model.onnx) takes the rated movies' rows and ratings and predicts every movie, as
    AutoRec.Inference folds a new user in."""
    session = ort.InferenceSession(foldin_path, providers=["CPUExecutionProvider"])
    props = session.get_modelmeta().custom_metadata_map
    if props.get("autorec.foldin.format") != "autorec-foldin/1":
        fail(f"{foldin_path} is not an AutoRec fold-in graph (autorec.foldin.format is not autorec-foldin/1)")
    movie_ids = json.loads(props["autorec.foldin.movie_ids"])
    ratings = parse_ratings(args.ratings or "", meta, movie_ids)
    if not ratings:
        fail("--ratings needs at least one movieId:rating for the fold-in")
    row = {movie_id: i for i, movie_id in enumerate(movie_ids)}
    indices = np.array([row[m] for m in ratings], dtype=np.int64)
    values = np.array(list(ratings.values()), dtype=np.float32)
    predictions = session.run(["predictions"], {"movie_indices": indices, "ratings": values})[0]
    header = f"{len(meta['output_ids'])} users, {len(movie_ids)} movies through {os.path.basename(foldin_path)}"
    described = f"{len(ratings)} rating(s), folded in ({props['autorec.foldin.steps']} conjugate-gradient steps)"
    return header, described, top_n(movie_ids, predictions, set(ratings), args.count)


def main():
    args = parse_args()
    if not os.path.exists(args.model):
        fail(f"{args.model}: model file not found")
    # A model.onnx with compact.onnx beside it (the model over its compact factors, what AutoRec.Inference serves
    # from compact.bin; same inputs, outputs and metadata) is run as that, as examples/node does.
    compact = os.path.join(os.path.dirname(args.model), "compact.onnx")
    served = compact if os.path.basename(args.model) == "model.onnx" and os.path.exists(compact) else args.model
    session = ort.InferenceSession(served, providers=["CPUExecutionProvider"])
    meta = read_metadata(session, args.model)
    foldin_path = args.foldin or os.path.join(os.path.dirname(args.model), "foldin.onnx")
    if meta["kind"] == "item-based" and args.user is None and not os.path.exists(foldin_path):
        fail(f"{args.model} is an item-based model: its input is one movie's ratings by all {len(meta['input_ids'])} "
             "users, not a user's ratings, and there is no fold-in graph beside it (foldin.onnx, written by the export "
             "stage, or --foldin): give --user USER_ID --train TRAIN.parquet instead of --ratings.", 2)
    if meta["side_features"] or "side" in [i.name for i in session.get_inputs()]:
        per = "user" if meta["kind"] == "user-based" else "movie"
        fail(f"this model needs {len(meta['side_features'])} side features per {per}, which this example does not supply", 2)
    titles = read_titles(args.movies) if args.movies is not None else None

    if meta["kind"] == "item-based" and args.user is None:
        header, described, top = new_user_of_item_based(args, meta, foldin_path)
    else:
        serve = user_based if meta["kind"] == "user-based" else item_based
        header, described, top = serve(args, meta, session)

    print(f"model: {args.model} ({meta['kind']}, {meta['dataset']}, {header}, "
          f"ratings {meta['rating_min']:g}..{meta['rating_max']:g})")
    print(f"input: {described}")
    print("rank  movie_id     score" + ("  title" if titles is not None else ""))
    for rank, (score, movie_id) in enumerate(top, 1):
        line = f"{rank:4d}  {movie_id:8d}  {score:.6f}"
        print(line if titles is None else f"{line}  {titles.get(movie_id, '(not in movies file)')}")


if __name__ == "__main__":
    main()
