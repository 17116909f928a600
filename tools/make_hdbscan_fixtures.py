"""Reference fixtures for the Swift HDBSCAN (Tests/AnalysisTests/Fixtures/hdbscan).

Run from the repository root:  tools/.venv/bin/python tools/make_hdbscan_fixtures.py

Two seeded 2-D inputs are clustered by `hdbscan.HDBSCAN` (0.8.44) with several parameter settings:
  * blobs - Gaussian blobs of different sizes and spreads over uniform background noise;
  * umap  - umap-learn's 2-D layout of a 512-d Gaussian mixture, the shape the app clusters.
For every run the labels, membership probabilities and GLOSH outlier scores are written as float32
.npy files, and the cluster count, noise count and cluster persistences go to manifest.json.

The reference uses the exact minimum spanning tree (approx_min_span_tree=False): hdbscan's default
Boruvka takes a shortcut that returns a slightly non-minimal tree, which moves labels by a few
per cent (ARI ~0.96 against the exact hierarchy on these inputs), while the Swift code computes the
exact tree. The default run's labels are stored too (labels_default) so the tests can report how far
that shortcut is from both.
"""

import json
import pathlib

import hdbscan
import numpy as np
import umap

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/AnalysisTests/Fixtures/hdbscan"


def blobs(rng: np.random.Generator, count: int = 3000) -> np.ndarray:
    """Eight Gaussian blobs (shares 30 % down to 3 %) and 10 % uniform noise over a wider square."""
    shares = [0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03]
    centres = rng.uniform(-10, 10, (len(shares), 2))
    spreads = rng.uniform(0.2, 1.2, len(shares))
    sizes = rng.multinomial(int(count * 0.9), shares)
    parts = [rng.normal(c, s, (k, 2)) for c, s, k in zip(centres, spreads, sizes)]
    parts.append(rng.uniform(-14, 14, (count - sizes.sum(), 2)))
    return np.concatenate(parts).astype(np.float32)


def umap_layout(rng: np.random.Generator, count: int = 2000, dimension: int = 512) -> np.ndarray:
    """umap-learn's 2-D layout of a 25-component 512-d mixture with unequal weights and spreads."""
    components = 25
    weights = rng.dirichlet(np.full(components, 2.0))
    means = rng.normal(0, 0.2, (components, dimension))
    spreads = rng.uniform(0.6, 1.6, components)
    membership = rng.choice(components, size=count, p=weights)
    high = means[membership] + rng.normal(0, 1, (count, dimension)) * spreads[membership, None] / np.sqrt(dimension) * 8
    reducer = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=7)
    return reducer.fit_transform(high.astype(np.float32)).astype(np.float32)


RUNS = [
    # name, dataset, hdbscan keyword arguments
    ("blobs_mcs15", "blobs", dict(min_cluster_size=15)),
    ("blobs_mcs25_ms5", "blobs", dict(min_cluster_size=25, min_samples=5)),
    ("blobs_leaf_mcs10", "blobs", dict(min_cluster_size=10, cluster_selection_method="leaf")),
    ("umap_mcs15", "umap", dict(min_cluster_size=15)),
    ("umap_mcs40_ms10_eps", "umap", dict(min_cluster_size=40, min_samples=10, cluster_selection_epsilon=0.5)),
]


def save(name: str, values: np.ndarray) -> dict:
    array = np.ascontiguousarray(values, dtype="<f4")
    np.save(OUTPUT / f"{name}.npy", array)
    return {"file": f"{name}.npy", "shape": list(array.shape)}


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261122)
    inputs = {"blobs": blobs(rng), "umap": umap_layout(rng)}
    manifest = {"datasets": {name: save(f"{name}_points", points) for name, points in inputs.items()}, "runs": []}
    for name, dataset, arguments in RUNS:
        points = inputs[dataset].astype(np.float64)
        exact = hdbscan.HDBSCAN(approx_min_span_tree=False, **arguments).fit(points)
        default = hdbscan.HDBSCAN(**arguments).fit(points)
        manifest["runs"].append({
            "name": name,
            "dataset": dataset,
            "min_cluster_size": arguments["min_cluster_size"],
            "min_samples": arguments.get("min_samples"),
            "cluster_selection_method": arguments.get("cluster_selection_method", "eom"),
            "cluster_selection_epsilon": arguments.get("cluster_selection_epsilon", 0.0),
            "clusters": int(exact.labels_.max() + 1),
            "noise": int((exact.labels_ == -1).sum()),
            "persistence": [float(p) for p in exact.cluster_persistence_],
            "labels": save(f"{name}_labels", exact.labels_),
            "probabilities": save(f"{name}_probabilities", exact.probabilities_),
            "outlier_scores": save(f"{name}_outlier_scores", exact.outlier_scores_),
            "labels_default": save(f"{name}_labels_default", default.labels_),
        })
        print(f"{name}: {manifest['runs'][-1]['clusters']} clusters, {manifest['runs'][-1]['noise']} noise")
    (OUTPUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
