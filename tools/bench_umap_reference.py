"""Times umap-learn on the 512-d Gaussian mixture the Swift UMAP benchmark uses.

The mixture comes from make_umap_fixtures.gaussian_mixture (bit-identical to the Swift generator).
umap-learn runs as it does by default with random_state unset, i.e. its parallel numba code path on
NUMBA_NUM_THREADS threads (2 unless set). numba's compile time is paid in warm-up fits on 500 points
first (exact and NN-descent roads) and reported as their own lines. Prints one JSON line per case: tool, case, n, seconds.

Usage: tools/.venv/bin/python tools/bench_umap_reference.py [--sizes 2000 10000 50000] [--big]
       [--metrics euclidean cosine] [--reps 1]
"""
import argparse
import json
import os
import sys
import time

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
    args = parser.parse_args()

    start = time.perf_counter()
    import umap
    emit(tool="umap-learn", case="import", n=0, seconds=round(time.perf_counter() - start, 3))

    # numba compiles on first use: the exact path (below 4,096 points) and pynndescent's NN-descent
    # (above) separately, per metric. Pay both on 500 points first.
    warmup, _ = gaussian_mixture(500)
    for metric in args.metrics:
        for approximate in (False, True):
            start = time.perf_counter()
            umap.UMAP(n_neighbors=15, min_dist=0.1, metric=metric,
                      force_approximation_algorithm=approximate).fit_transform(warmup)
            road = "nndescent" if approximate else "exact"
            emit(tool="umap-learn", case=f"numba-compile+fit-{metric}-{road}", n=500,
                 seconds=round(time.perf_counter() - start, 3))

    sizes = args.sizes + ([200_000] if args.big else [])
    for n in sizes:
        points, _ = gaussian_mixture(n)
        for metric in args.metrics:
            times = []
            for _ in range(args.reps):
                start = time.perf_counter()
                umap.UMAP(n_neighbors=15, min_dist=0.1, metric=metric).fit_transform(points)
                times.append(time.perf_counter() - start)
            emit(tool="umap-learn", case=metric, n=n, seconds=round(min(times), 3),
                 threads=int(os.environ["NUMBA_NUM_THREADS"]), load=os.getloadavg()[0])


if __name__ == "__main__":
    main()
