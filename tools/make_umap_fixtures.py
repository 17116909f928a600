"""Reference figures for the Swift UMAP (Tests/AnalysisTests/UMAP), from umap-learn 0.5.

Writes Tests/AnalysisTests/Fixtures/umap/manifest.json (and copies the exported song embeddings):
- a, b of umap-learn's find_ab_params for a few (min_dist, spread);
- umap-learn's 2-D embedding of the mixture (first seed, per metric), to check the quality measures;
- for a 512-d Gaussian mixture (euclidean and cosine) and for real song embeddings (cosine):
  trustworthiness (k = 15) of umap-learn's 2-D output and leave-one-out 10-NN accuracy of the labels
  in 2-D, as the mean over several seeds (umap-learn varies by seed), with the per-seed values.
The mixture is not stored: gaussian_mixture() below and GaussianMixture.swift generate the same
points (SplitMix64 at a counter, Box–Muller); the manifest keeps a checksum to prove it.
The songs have no labels; their accuracy is computed on k-means (k = 8, on the 200-d vectors) labels
stored beside them.

Usage (from the repository root): [SOUNDMAP_SONG_EMBEDDINGS=export/embeddings.npy] \
       tools/.venv/bin/python tools/make_umap_fixtures.py
Deterministic; takes about two minutes (numba compilation included).
"""
import json
import os
import shutil
import sys
import time
import warnings

import numpy as np

# umap-learn warns that a random_state forces one thread; the fixtures want the seeds.
warnings.filterwarnings("ignore", message="n_jobs value")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "AnalysisTests", "Fixtures", "umap")
# Real song embeddings, as `soundmap export --format npy` writes them (embeddings.npy); without the
# variable, the copy the fixtures already keep.
SONGS = os.environ.get("SOUNDMAP_SONG_EMBEDDINGS", os.path.join(OUT, "songs.npy"))
SEEDS = [1, 2, 3, 4, 5]
MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def splitmix(stream, indices):
    """The indices-th (from 0) SplitMix64 outputs of a stream (mix(stream + (i + 1)·γ))."""
    with np.errstate(over="ignore"):
        z = np.uint64(stream) + (indices.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def normals(stream, count):
    index = np.arange(count, dtype=np.uint64)
    u = (splitmix(stream, 2 * index) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    v = (splitmix(stream, 2 * index + np.uint64(1)) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return np.sqrt(-2 * np.log(1 - u)) * np.cos(2 * np.pi * v)


def gaussian_mixture(count, dimension=512, clusters=20, centre_scale=0.3, seed=7):
    """count points around `clusters` centres ~ N(0, centre_scale²) with unit noise; (float32 points, labels)."""
    with np.errstate(over="ignore"):
        streams = [np.uint64(seed) * np.uint64(3) + np.uint64(offset) for offset in (1, 2, 3)]
    centres = normals(streams[0], clusters * dimension).reshape(clusters, dimension) * centre_scale
    labels = (splitmix(streams[1], np.arange(count, dtype=np.uint64)) % np.uint64(clusters)).astype(np.int64)
    noise = normals(streams[2], count * dimension).reshape(count, dimension)
    return (centres[labels] + noise).astype(np.float32), labels


def neighbor_accuracy(embedding, labels, k=10):
    """Leave-one-out k-NN accuracy; ties go to the smallest label (as KNeighborsClassifier)."""
    from sklearn.neighbors import NearestNeighbors

    neighbors = NearestNeighbors(n_neighbors=k).fit(embedding).kneighbors(return_distance=False)
    votes = np.zeros((len(labels), labels.max() + 1), dtype=np.int64)
    np.add.at(votes, (np.repeat(np.arange(len(labels)), k), labels[neighbors].ravel()), 1)
    return float(np.mean(votes.argmax(axis=1) == labels))


def reference_case(name, points, labels, metric, keep_embedding=None):
    """umap-learn over SEEDS; keep_embedding names a file for the first seed's embedding."""
    import umap
    from sklearn.manifold import trustworthiness

    runs = []
    for seed in SEEDS:
        embedding = umap.UMAP(n_neighbors=15, min_dist=0.1, metric=metric, random_state=seed).fit_transform(points)
        if keep_embedding and seed == SEEDS[0]:
            np.save(os.path.join(OUT, keep_embedding), embedding.astype(np.float32))
        runs.append({
            "seed": seed,
            "trustworthiness": float(trustworthiness(points, embedding, n_neighbors=15, metric=metric)),
            "accuracy": neighbor_accuracy(embedding, labels),
        })
        print(name, runs[-1], file=sys.stderr, flush=True)
    case = {
        "name": name,
        "metric": metric,
        "count": int(len(points)),
        "trustworthiness": float(np.mean([run["trustworthiness"] for run in runs])),
        "accuracy": float(np.mean([run["accuracy"] for run in runs])),
        "runs": runs,
    }
    if keep_embedding:
        case["embedding"] = keep_embedding
    return case


def main():
    from umap.umap_ import find_ab_params
    from sklearn.cluster import KMeans

    start = time.perf_counter()
    os.makedirs(OUT, exist_ok=True)
    curves = []
    for min_dist, spread in [(0.1, 1.0), (0.0, 1.0), (0.5, 1.0), (0.25, 2.0), (0.001, 0.5)]:
        a, b = find_ab_params(spread, min_dist)
        curves.append({"minDistance": min_dist, "spread": spread, "a": float(a), "b": float(b)})

    mixture_count = 2000
    points, labels = gaussian_mixture(mixture_count)
    mixture = {
        "count": mixture_count, "dimension": 512, "clusters": 20, "centreScale": 0.3, "seed": 7,
        "sum": float(points.astype(np.float64).sum()),
        "sumOfSquares": float((points.astype(np.float64) ** 2).sum()),
        "firstRow": [float(x) for x in points[0, :8]],
        "labelCounts": np.bincount(labels, minlength=20).tolist(),
    }
    cases = [reference_case(f"mixture-{metric}", points, labels, metric, keep_embedding=f"mixture_{metric}_embedding.npy")
             for metric in ("euclidean", "cosine")]

    if os.path.exists(SONGS):
        songs = np.load(SONGS).astype(np.float32)
        np.save(os.path.join(OUT, "songs.npy"), songs)
        song_labels = KMeans(n_clusters=8, n_init=10, random_state=0).fit_predict(songs).astype(np.int64)
        np.save(os.path.join(OUT, "song_labels.npy"), song_labels.astype(np.float32))
        case = reference_case("songs-cosine", songs, song_labels, "cosine")
        case.update(points="songs.npy", labels="song_labels.npy")
        cases.append(case)
    else:
        print(f"{SONGS} not found: no song case", file=sys.stderr)

    manifest = {
        "generator": "tools/make_umap_fixtures.py",
        "umapLearn": __import__("umap").__version__ if hasattr(__import__("umap"), "__version__") else "0.5",
        "note": "trustworthiness and accuracy are means over the seeds in runs[]",
        "curves": curves,
        "mixture": mixture,
        "cases": cases,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as file:
        json.dump(manifest, file, indent=1)
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
