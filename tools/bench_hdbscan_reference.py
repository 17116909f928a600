"""Times the `hdbscan` package on 2-D inputs, the reference side of the Swift HDBSCAN benchmark.

Run from the repository root:
    tools/.venv/bin/python tools/bench_hdbscan_reference.py [--large] [--data-dir /tmp/hdbscan-bench]

For N = 2,000 / 10,000 / 50,000 (and 200,000 with --large) it writes the seeded input to
<data-dir>/blobs_<N>.npy (float32, so `soundmap bench hdbscan --dir <data-dir>` reads the very same
points) and prints one JSON line per size and tool in tools/bench_compare.py's format (bench "hdbscan",
case "n=<N>", value: seconds, best of --repeats runs). Tools, all min_cluster_size 15:
  * hdbscan-default - HDBSCAN() as users call it: boruvka_kdtree with the approximate spanning tree;
  * hdbscan-exact   - the same with approx_min_span_tree=False, the exact tree the Swift code builds.
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile
import time

import hdbscan
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_hdbscan_fixtures  # noqa: E402


def blobs(count: int, seed: int = 7) -> np.ndarray:
    """The fixture generator's shape at any size: eight blobs of unequal size and spread, 10 % noise."""
    return make_hdbscan_fixtures.blobs(np.random.default_rng(seed), count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also run N = 200,000")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "hdbscan-bench"))
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    directory = pathlib.Path(arguments.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    sizes = [2_000, 10_000, 50_000] + ([200_000] if arguments.large else [])
    # Compile-free warm-up: the first fit pays for imports and joblib start-up.
    hdbscan.HDBSCAN(min_cluster_size=15).fit(blobs(500))
    for count in sizes:
        points = blobs(count)
        np.save(directory / f"blobs_{count}.npy", points)
        data = points.astype(np.float64)
        for tool, options in [("hdbscan-default", {}), ("hdbscan-exact", {"approx_min_span_tree": False})]:
            best = float("inf")
            for _ in range(arguments.repeats):
                start = time.perf_counter()
                hdbscan.HDBSCAN(min_cluster_size=15, **options).fit(data)
                best = min(best, time.perf_counter() - start)
            print(json.dumps({"bench": "hdbscan", "case": f"n={count}", "tool": tool, "value": round(best, 4), "unit": "s"}),
                  flush=True)


if __name__ == "__main__":
    main()
