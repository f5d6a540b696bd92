#!/usr/bin/env python3
"""Top-10 recommendations from an AutoRec model.onnx for a user given by their ratings.

    pip install -r requirements.txt
    python top10.py MODEL [--ratings movieId:rating,...] [--count N]

The model carries what is needed to use it in its metadata (autorec.*): the movie id of each input/output
column and the rating scale. ONNX Runtime's Python API exposes it as custom_metadata_map.
"""
import argparse
import json
import sys

import numpy as np
import onnxruntime as ort


def fail(message, code=1):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def parse_ratings(text, input_ids, rating_min, rating_max):
    known = set(input_ids)
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
        if not (rating_min <= rating <= rating_max):
            fail(f"rating {value} of movie {movie_id} is off the scale {rating_min}..{rating_max}")
        ratings[movie_id] = rating
    return ratings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--ratings", default="", help="the user's ratings, e.g. 1:5,50:4")
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()

    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    if "autorec.kind" not in meta:
        fail(f"{args.model} is not an AutoRec model: metadata 'autorec.kind' is missing")
    if meta["autorec.kind"] != "user-based":
        fail(f"{args.model} is an {meta['autorec.kind']} model: its input is one movie's ratings by all users, "
             "so a user's top 10 needs every movie's row from the training data. Use a user-based model here.", 2)
    if json.loads(meta.get("autorec.side_features", "[]")):
        fail("this model needs side features per user, which this example does not supply", 2)

    input_ids = json.loads(meta["autorec.input_ids"])
    output_ids = json.loads(meta["autorec.output_ids"])
    ratings = parse_ratings(args.ratings, input_ids, float(meta["autorec.rating_min"]), float(meta["autorec.rating_max"]))

    # 0 = unknown: the graph fills in the default the model was trained with.
    row = np.zeros((1, len(input_ids)), dtype=np.float32)
    for column, movie_id in enumerate(input_ids):
        row[0, column] = ratings.get(movie_id, 0.0)
    predictions = session.run(["predictions"], {"ratings": row})[0][0]

    # Best first; equal scores by ascending movie id, as the C# library does. Rated movies are left out.
    candidates = [(float(predictions[c]), m) for c, m in enumerate(output_ids) if m not in ratings]
    top = sorted(candidates, key=lambda p: (-p[0], p[1]))[: args.count]

    print(f"model: {args.model} ({meta['autorec.kind']}, {meta.get('autorec.dataset', '?')}, {len(output_ids)} movies)")
    print(f"input: {len(ratings)} rating(s)")
    print("rank  movie_id     score")
    for rank, (score, movie_id) in enumerate(top, 1):
        print(f"{rank:4d}  {movie_id:8d}  {score:.6f}")


if __name__ == "__main__":
    main()
