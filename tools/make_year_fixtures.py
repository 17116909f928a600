#!/usr/bin/env python3
"""Write the reference fixtures for the release-year model (Tests/AnalysisTests/Fixtures/yearmodel/).

Run from the repository root with the tools venv:
  tools/.venv/bin/python tools/make_year_fixtures.py [--out DIR]

What it writes (all .npy are float32, little-endian, C order; integer data is stored as float32):
  songs.npy          [n, d] synthetic song features with a nonlinear, noisy release-year signal
  years.npy          [n]    release years 1960-2020
  test_mask.npy      [n]    1 for the held-out test songs, 0 for training songs
  folds.npy          [n]    k-fold assignment (fold index of each song) for cross-validation
  predictions_<case>.npy    scikit-learn's predictions for the test songs (cases without early stopping)
  out_of_fold.npy    [n]    scikit-learn's out-of-fold predictions with the folds above
  binning_<name>.npy [m]    small columns whose bin thresholds scikit-learn's _BinMapper computed
  manifest.json      library versions, the HistGradientBoostingRegressor cases and their MAEs, the
                     bin thresholds (as float64 in JSON, exact) and bin indices of the binning columns.

The script is deterministic: every random draw is seeded, and scikit-learn is given random_state.
"""
import argparse
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
from sklearn.model_selection import KFold

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "Tests", "AnalysisTests", "Fixtures", "yearmodel")

SONGS = 1500
DIMENSION = 48
TEST_SONGS = 300
FOLDS = 5
SEED = 20260


def synthetic_songs(count, dimension, seed):
    """Features and release years shaped like the real task: a hidden era drives a few feature
    directions nonlinearly (and non-monotonically), most directions are noise, and years are
    rounded, noisy and clipped to 1960-2020. Returns (float32 [count, dimension], float32 [count])."""
    rng = np.random.default_rng(seed)
    era = rng.uniform(-1.0, 1.0, size=count)
    features = rng.normal(size=(count, dimension))
    shapes = [
        lambda t: 2.0 * t,
        lambda t: 1.5 * np.sin(3.0 * t),
        lambda t: 2.0 * t * t - 0.7,
        lambda t: 1.5 * np.tanh(4.0 * t),
        lambda t: np.cos(5.0 * t),
        lambda t: 1.2 * np.abs(t),
    ]
    for column, shape in enumerate(shapes):
        features[:, column] += shape(era)
    # Songs mix a little of every informative direction into the others, as real embeddings do.
    mixing = np.eye(dimension) + 0.15 * rng.normal(size=(dimension, dimension)) / np.sqrt(dimension)
    features = features @ mixing
    years = np.clip(np.rint(1990.0 + 30.0 * era + rng.normal(scale=3.0, size=count)), 1960, 2020)
    return features.astype(np.float32), years.astype(np.float32)


def save(out, name, array):
    np.save(os.path.join(out, name), np.ascontiguousarray(array, dtype="<f4"))


def mae(predictions, truth):
    return float(np.mean(np.abs(predictions - truth)))


def regressor(loss, early_stopping):
    return HistGradientBoostingRegressor(loss=loss, early_stopping=early_stopping, random_state=0)


def binning_columns(seed):
    """Three columns that take the three paths of _BinMapper: many distinct values (quantiles),
    few distinct values (midpoints) and many distinct values with a heavy tie (duplicate quantiles)."""
    rng = np.random.default_rng(seed)
    tied = np.concatenate([np.zeros(300), rng.exponential(size=300)])
    return {
        "quantiles": rng.normal(size=1000),
        "midpoints": rng.integers(0, 40, size=200) * 0.25,
        "ties": rng.permutation(tied),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    songs, years = synthetic_songs(SONGS, DIMENSION, SEED)
    order = np.random.default_rng(SEED + 1).permutation(SONGS)
    test_mask = np.zeros(SONGS, dtype=bool)
    test_mask[order[:TEST_SONGS]] = True
    folds = np.zeros(SONGS, dtype=np.int64)
    for fold, (_, held_out) in enumerate(KFold(FOLDS, shuffle=True, random_state=SEED).split(songs)):
        folds[held_out] = fold
    save(args.out, "songs.npy", songs)
    save(args.out, "years.npy", years)
    save(args.out, "test_mask.npy", test_mask)
    save(args.out, "folds.npy", folds)

    # float64 inputs, as scikit-learn converts the float32 features itself.
    x, y = songs.astype(np.float64), years.astype(np.float64)
    train, test = ~test_mask, test_mask
    cases = []
    for name, loss, early_stopping in [
        ("squared", "squared_error", False),
        ("absolute", "absolute_error", False),
        ("squared-early-stopping", "squared_error", True),
    ]:
        model = regressor(loss, early_stopping).fit(x[train], y[train])
        predictions = model.predict(x[test])
        cases.append({
            "name": name, "loss": loss, "early_stopping": early_stopping,
            "iterations": int(model.n_iter_), "test_mae": mae(predictions, y[test]),
        })
        if not early_stopping:
            # Early stopping draws its validation split from numpy's generator, which Swift does not
            # reproduce; without it the trees are deterministic and worth comparing song by song.
            cases[-1]["predictions"] = f"predictions_{name}.npy"
            save(args.out, cases[-1]["predictions"], predictions)
        print(f"{name}: {model.n_iter_} iterations, test MAE {cases[-1]['test_mae']:.4f}")

    out_of_fold = np.zeros(SONGS)
    for fold in range(FOLDS):
        held_out = folds == fold
        out_of_fold[held_out] = regressor("squared_error", False).fit(x[~held_out], y[~held_out]).predict(x[held_out])
    save(args.out, "out_of_fold.npy", out_of_fold)
    cross_validation = {"folds": FOLDS, "loss": "squared_error", "early_stopping": False,
                        "out_of_fold_mae": mae(out_of_fold, y), "predictions": "out_of_fold.npy"}
    print(f"{FOLDS}-fold out-of-fold MAE {cross_validation['out_of_fold_mae']:.4f}")

    binning = []
    for name, column in binning_columns(SEED + 2).items():
        column = column.astype(np.float32)
        save(args.out, f"binning_{name}.npy", column)
        mapper = _BinMapper(n_bins=256, random_state=0).fit(column.reshape(-1, 1))
        binning.append({
            "name": name, "file": f"binning_{name}.npy",
            "thresholds": [float(t) for t in mapper.bin_thresholds_[0]],
            "bins": [int(b) for b in mapper.transform(column.reshape(-1, 1))[:, 0]],
        })

    manifest = {
        "generator": "tools/make_year_fixtures.py",
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
        "songs": SONGS, "dimension": DIMENSION, "test_songs": TEST_SONGS, "seed": SEED,
        "parameters": "HistGradientBoostingRegressor defaults (learning_rate 0.1, max_iter 100, max_leaf_nodes 31, "
                      "min_samples_leaf 20, l2_regularization 0, max_bins 255), random_state 0",
        "cases": cases,
        "cross_validation": cross_validation,
        "binning": binning,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
