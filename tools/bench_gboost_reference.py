#!/usr/bin/env python3
"""Reference benchmark for Soundmap's release-year model: scikit-learn's HistGradientBoostingRegressor.

Run from the repository root with the tools venv:
  tools/.venv/bin/python tools/bench_gboost_reference.py [--out /tmp/soundmap-gboost] [--reps 3] [--threads N]

Writes the benchmark data for the Swift side into --out (float32 .npy, C order):
  train_features.npy [4800, 512], train_years.npy [4800], test_features.npy [1200, 512], test_years.npy [1200]
(synthetic songs from make_year_fixtures.synthetic_songs, seeded), then times
HistGradientBoostingRegressor(random_state=0).fit on the training part with its defaults (early stopping
"auto" is off below 10,000 samples) and scores the test part.

stdout: one JSON line per loss in tools/bench_compare.py's format: bench "gboost", case
"fit,<loss>,4800x512", tool "scikit-learn", value: seconds (median of --reps fits), plus "mae" on the test
part, "times", "iterations", "threads"; `soundmap bench gboost --dir <out>` prints the Swift side of the same
cases. Progress goes to stderr. scikit-learn uses all cores (OpenMP), as the
Swift side does, unless --threads limits its OpenMP pool (compare with the Swift side pinned by
`taskset -c 0`).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_year_fixtures import synthetic_songs  # noqa: E402

TRAIN, TEST, DIMENSION, SEED = 4800, 1200, 512, 4800


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "soundmap-gboost"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    features, years = synthetic_songs(TRAIN + TEST, DIMENSION, SEED)
    parts = {"train": slice(0, TRAIN), "test": slice(TRAIN, TRAIN + TEST)}
    for name, rows in parts.items():
        np.save(os.path.join(args.out, f"{name}_features.npy"), np.ascontiguousarray(features[rows], dtype="<f4"))
        np.save(os.path.join(args.out, f"{name}_years.npy"), np.ascontiguousarray(years[rows], dtype="<f4"))
    x_train, y_train = features[parts["train"]].astype(np.float64), years[parts["train"]].astype(np.float64)
    x_test, y_test = features[parts["test"]].astype(np.float64), years[parts["test"]].astype(np.float64)

    for case, loss in [("squared_error", "squared_error"), ("absolute_error", "absolute_error")]:
        times = []
        for rep in range(args.reps):
            model = HistGradientBoostingRegressor(loss=loss, random_state=0)
            start = time.perf_counter()
            with threadpool_limits(limits=args.threads, user_api="openmp"):
                model.fit(x_train, y_train)
            times.append(time.perf_counter() - start)
            print(f"  {case} fit {rep + 1}/{args.reps}: {times[-1]:.3f} s", file=sys.stderr, flush=True)
        mae = float(np.mean(np.abs(model.predict(x_test) - y_test)))
        print(json.dumps({"bench": "gboost", "case": f"fit,{case},{TRAIN}x{DIMENSION}", "tool": "scikit-learn",
                          "value": round(statistics.median(times), 4), "unit": "s", "mae": round(mae, 4),
                          "times": [round(t, 4) for t in times], "iterations": int(model.n_iter_),
                          "threads": args.threads}), flush=True)
        print(json.dumps({"bench": "gboost", "case": f"test error,{case}", "tool": "scikit-learn", "value": round(mae, 4),
                          "unit": "years MAE"}), flush=True)


if __name__ == "__main__":
    main()
