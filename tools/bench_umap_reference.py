"""Times umap-learn on the 512-d Gaussian mixture the Swift UMAP benchmark uses.

The mixture comes from make_umap_fixtures.gaussian_mixture (bit-identical to the Swift generator).
umap-learn runs as it does by default with random_state unset, i.e. its parallel numba code path on
NUMBA_NUM_THREADS threads (2 unless set). numba's compile time is paid in warm-up fits on 500 points
first (exact and NN-descent roads) and reported as their own lines. Prints one JSON line per case in
tools/bench_compare.py's format (bench "umap", case "<metric>,n=<N>", value: seconds, the fastest of --reps).
With --data-dir it also writes each mixture there as mixture_<N>.npy (float32) for
`soundmap bench umap --dir <data-dir>`, which times Soundmap on the very same points.

Usage: tools/.venv/bin/python tools/bench_umap_reference.py [--sizes 2000 10000 50000] [--big]
       [--metrics euclidean cosine] [--reps 1] [--data-dir DIR]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("NUMBA_NUM_THREADS", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from make_umap_fixtures import gaussian_mixture  # noqa: E402


def emit(**fields):
    print(json.dumps(fields), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 50000])
    parser.add_argument("--big", action="store_true", help="also time 200,000 points")
    parser.add_argument("--metrics", nargs="+", default=["euclidean", "cosine"])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--data-dir", help="write each mixture here as mixture_<N>.npy")
    args = parser.parse_args()

    start = time.perf_counter()
    import umap
    emit(bench="umap", case="numba import", tool="umap-learn", value=round(time.perf_counter() - start, 3), unit="s")

    # numba compiles on first use: the exact path (below 4,096 points) and pynndescent's NN-descent
    # (above) separately, per metric. Pay both on 500 points first.
    warmup, _ = gaussian_mixture(500)
    for metric in args.metrics:
        for approximate in (False, True):
            start = time.perf_counter()
            umap.UMAP(n_neighbors=15, min_dist=0.1, metric=metric,
                      force_approximation_algorithm=approximate).fit_transform(warmup)
            road = "nndescent" if approximate else "exact"
            emit(bench="umap", case=f"numba compile+fit,{metric},{road},n=500", tool="umap-learn",
                 value=round(time.perf_counter() - start, 3), unit="s")

    sizes = args.sizes + ([200_000] if args.big else [])
    for n in sizes:
        points, _ = gaussian_mixture(n)
        if args.data_dir:
            os.makedirs(args.data_dir, exist_ok=True)
            np.save(os.path.join(args.data_dir, f"mixture_{n}.npy"), np.ascontiguousarray(points, dtype="<f4"))
        for metric in args.metrics:
            times = []
            for _ in range(args.reps):
                start = time.perf_counter()
                umap.UMAP(n_neighbors=15, min_dist=0.1, metric=metric).fit_transform(points)
                times.append(time.perf_counter() - start)
            emit(bench="umap", case=f"{metric},n={n}", tool="umap-learn", value=round(min(times), 3), unit="s",
                 threads=int(os.environ["NUMBA_NUM_THREADS"]), load=os.getloadavg()[0])


if __name__ == "__main__":
    main()
