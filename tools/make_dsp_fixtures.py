#!/usr/bin/env python3
"""Write the reference fixtures for Soundmap's DSP tests (Tests/DSPTests/Fixtures/).

Run with the tools venv:   tools/.venv/bin/python tools/make_dsp_fixtures.py [--out DIR]

Conventions of every .npy written here (also recorded in manifest.json):
  * dtype float32, little-endian ('<f4'), C order.
  * Signals are 1-D.
  * Spectrogram-like arrays are TIME-MAJOR: shape [frames, bins] (librosa's output transposed).
  * Filter banks are [n_filters, n_fft // 2 + 1], as librosa.filters.mel returns them.
  * References are computed in float64 (the float32 signal is converted to float64 first,
    filter banks are built with dtype=float64) and only the result is rounded to float32.
  * window "hann" is the periodic Hann window (scipy.signal.get_window("hann", n, fftbins=True)),
    which is what librosa uses.

The script is deterministic: running it again produces byte-identical files for the same
library versions (recorded in the manifest).
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "Tests", "DSPTests", "Fixtures")

import librosa  # noqa: E402
import scipy  # noqa: E402
import scipy.signal  # noqa: E402


# --------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------

def peak_normalise(x, peak):
    return x / np.max(np.abs(x)) * peak


def log_chirp(t, f0, f1, duration):
    """Exponential (log-frequency) sweep from f0 to f1 Hz over `duration` seconds.

    Instantaneous frequency f(t) = f0 * exp(k t), k = ln(f1/f0)/duration; phase is its integral.
    """
    k = np.log(f1 / f0) / duration
    return np.sin(2.0 * np.pi * f0 * (np.exp(k * t) - 1.0) / k)


def signal_chirp_noise_22050():
    """3.0 s at 22050 Hz: 0.1 white noise + 0.2 log chirp 60 Hz -> 8 kHz + 0.1 sine 440 Hz, peak 0.9."""
    sr, dur = 22050, 3.0
    n = int(round(sr * dur))
    t = np.arange(n, dtype=np.float64) / sr
    rng = np.random.default_rng(20240601)
    x = 0.1 * rng.standard_normal(n)
    x += 0.2 * log_chirp(t, 60.0, 8000.0, dur)
    x += 0.1 * np.sin(2.0 * np.pi * 440.0 * t)
    return sr, peak_normalise(x, 0.9).astype(np.float32), (
        "3.0 s: 0.1*white noise (seed 20240601) + 0.2*log chirp 60 Hz->8 kHz + 0.1*sine 440 Hz, peak 0.9")


def signal_tones_16000():
    """2.0 s at 16000 Hz: sines 220/1000/3500 Hz (0.5/0.3/0.15) + a click train, peak 0.8."""
    sr, dur = 16000, 2.0
    n = int(round(sr * dur))
    t = np.arange(n, dtype=np.float64) / sr
    x = (0.5 * np.sin(2.0 * np.pi * 220.0 * t)
         + 0.3 * np.sin(2.0 * np.pi * 1000.0 * t + 0.5)
         + 0.15 * np.sin(2.0 * np.pi * 3500.0 * t + 1.0))
    # Click train: 6 clicks, 80 ms apart, starting at 0.6 s. Each click is a 32-sample
    # exponentially decaying burst of alternating sign (broadband), amplitude 0.8.
    burst = 0.8 * np.exp(-np.arange(32) / 6.0) * np.where(np.arange(32) % 2 == 0, 1.0, -1.0)
    for c in range(6):
        s0 = int(round((0.6 + 0.08 * c) * sr))
        x[s0:s0 + burst.size] += burst
    return sr, peak_normalise(x, 0.8).astype(np.float32), (
        "2.0 s: 0.5 sin 220 Hz + 0.3 sin 1000 Hz + 0.15 sin 3500 Hz + 6 decaying clicks "
        "every 80 ms from 0.6 s, peak 0.8")


def signal_short_22050():
    """700 samples of Gaussian noise at 22050 Hz (shorter than n_fft = 1024), peak 0.9."""
    rng = np.random.default_rng(700)
    x = rng.standard_normal(700)
    return 22050, peak_normalise(x, 0.9).astype(np.float32), (
        "700 samples of Gaussian noise (seed 700), peak 0.9; shorter than n_fft")


SIGNALS = {
    "chirp_noise_22050": signal_chirp_noise_22050,
    "tones_16000": signal_tones_16000,
    "short_22050": signal_short_22050,
}


# --------------------------------------------------------------------------------------------
# Triangular filter banks (librosa's construction, generalised to arbitrary edge points)
# --------------------------------------------------------------------------------------------

def triangular_filters(lower, centre, upper, fftfreqs, slaney_norm=True):
    """Triangles evaluated on `fftfreqs`, built exactly like librosa.filters.mel does.

    lower, centre, upper: 1-D arrays (n_filters,) of edge / peak frequencies in Hz.
    For filter i and FFT bin frequency f:
        rising  = (f - lower[i]) / (centre[i] - lower[i])
        falling = (upper[i] - f) / (upper[i] - centre[i])
        w[i, f] = max(0, min(rising, falling))
    librosa writes rising as -(lower - f)/fdiff and falling as (upper - f)/fdiff with
    fdiff = np.diff(edge points); the arithmetic below is the same, operation for operation.
    slaney_norm: multiply each row by 2 / (upper - lower) (constant area), librosa's norm="slaney".
    Returns float64 [n_filters, len(fftfreqs)].
    """
    lower, centre, upper = (np.asarray(a, dtype=np.float64) for a in (lower, centre, upper))
    fftfreqs = np.asarray(fftfreqs, dtype=np.float64)
    weights = np.zeros((lower.size, fftfreqs.size), dtype=np.float64)
    for i in range(lower.size):
        rising = -np.subtract(lower[i], fftfreqs) / (centre[i] - lower[i])
        falling = np.subtract(upper[i], fftfreqs) / (upper[i] - centre[i])
        weights[i] = np.maximum(0.0, np.minimum(rising, falling))
    if slaney_norm:
        weights *= (2.0 / (upper - lower))[:, np.newaxis]
    return weights


def log_frequency_filters(sr, n_fft, fmin, bins_per_octave, n_bins):
    """Log-frequency triangular filter bank (Soundmap's definition), [n_bins, n_fft//2 + 1].

    * Edge points c_k = fmin * 2^(k / bins_per_octave) for k = -1 ... n_bins (n_bins + 2 points).
    * Filter i (0-based) peaks at c_i, with lower edge c_{i-1} and upper edge c_{i+1}.
    * Each half-width (c_i - c_{i-1} below, c_{i+1} - c_i above) is widened to at least one FFT
      bin spacing sr / n_fft, so that no (low) filter falls between two bins and comes out empty.
    * Weights on librosa.fft_frequencies(sr, n_fft) exactly as librosa.filters.mel builds its
      triangles (see triangular_filters), then "slaney" area normalisation 2 / (upper - lower)
      with the widened edges.
    """
    k = np.arange(-1, n_bins + 1, dtype=np.float64)
    c = fmin * 2.0 ** (k / bins_per_octave)            # c[j] is c_{j-1}
    centre = c[1:n_bins + 1]
    df = sr / n_fft
    half_lo = np.maximum(centre - c[0:n_bins], df)
    half_hi = np.maximum(c[2:n_bins + 2] - centre, df)
    lower, upper = centre - half_lo, centre + half_hi
    assert upper[-1] < sr / 2, "top filter must stay below Nyquist"
    return triangular_filters(lower, centre, upper, librosa.fft_frequencies(sr=sr, n_fft=n_fft))


def check_triangles_match_librosa():
    """The triangle code, fed mel-spaced edge points, must reproduce librosa.filters.mel."""
    for sr, n_fft, n_mels, fmin, fmax, htk in ((22050, 2048, 96, 0.0, 11025.0, False),
                                               (22050, 1024, 96, 0.0, 11025.0, False),
                                               (16000, 512, 96, 0.0, 8000.0, False),
                                               (22050, 2048, 128, 30.0, 8000.0, True)):
        ref = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                  htk=htk, norm="slaney", dtype=np.float64)
        pts = librosa.mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
        ours = triangular_filters(pts[:-2], pts[1:-1], pts[2:], librosa.fft_frequencies(sr=sr, n_fft=n_fft))
        err = np.max(np.abs(ours - ref))
        assert err <= 1e-6, f"triangle construction differs from librosa.filters.mel: {err}"
        print(f"  triangle check sr={sr} n_fft={n_fft} n_mels={n_mels} htk={htk}: max |diff| = {err:.3g}",
              file=sys.stderr)


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

def stft_power(y64, p):
    S = librosa.stft(y64, n_fft=p["n_fft"], hop_length=p["hop_length"], win_length=p["n_fft"],
                     window=p["window"], center=p["center"], pad_mode=p["pad_mode"])
    return np.abs(S) ** p["power"]


def mel_filterbank(p):
    return librosa.filters.mel(sr=p["sample_rate"], n_fft=p["n_fft"], n_mels=p["n_mels"], fmin=p["fmin"],
                               fmax=p["fmax"], htk=p["htk"], norm=p["norm"], dtype=np.float64)


def melspectrogram(y64, p):
    return librosa.feature.melspectrogram(
        y=y64, sr=p["sample_rate"], n_fft=p["n_fft"], hop_length=p["hop_length"], win_length=p["n_fft"],
        window=p["window"], center=p["center"], pad_mode=p["pad_mode"], power=p["power"],
        n_mels=p["n_mels"], fmin=p["fmin"], fmax=p["fmax"], htk=p["htk"], norm=p["norm"], dtype=np.float64)


def mel_case_outputs(y64, p, which):
    """Returns {name: (array, layout, description)} for a mel case."""
    out = {}
    power = stft_power(y64, p)                       # [bins, frames]
    fb = mel_filterbank(p)                           # [n_mels, bins]
    mel = melspectrogram(y64, p)                     # [n_mels, frames]
    # Consistency: melspectrogram == filterbank @ |STFT|^power.
    np.testing.assert_allclose(mel, fb @ power, rtol=1e-9, atol=1e-12 * max(1.0, np.max(mel)))
    pw_desc = "|librosa.stft|^power" + (" (power 1: magnitude)" if p["power"] == 1 else "")
    if "power" in which:
        out["power"] = (power.T, "time-major [frames, n_fft/2+1]", pw_desc)
    if "filterbank" in which:
        out["filterbank"] = (fb, "[n_mels, n_fft/2+1]", "librosa.filters.mel")
    if "mel" in which:
        out["mel"] = (mel.T, "time-major [frames, n_mels]", "librosa.feature.melspectrogram")
    if "db" in which:
        out["db"] = (librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None).T,
                     "time-major [frames, n_mels]", "librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None)")
    if "db_top80" in which:
        out["db_top80"] = (librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0).T,
                           "time-major [frames, n_mels]", "librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0)")
    if "log1p" in which:
        out["log1p"] = (np.log10(1.0 + 10000.0 * mel).T, "time-major [frames, n_mels]",
                        "np.log10(1 + 10000 * mel) (musicnn compression)")
    return out


def logfreq_case_outputs(y64, p):
    power = stft_power(y64, p)
    fb = log_frequency_filters(p["sample_rate"], p["n_fft"], p["fmin"], p["bins_per_octave"], p["n_bins"])
    assert np.all(fb.max(axis=1) > 0), "empty log-frequency filter"
    lf = fb @ power
    return {
        "filterbank": (fb, "[n_bins, n_fft/2+1]", "log_frequency_filters() in tools/make_dsp_fixtures.py"),
        "power": (power.T, "time-major [frames, n_fft/2+1]", "|librosa.stft|^power"),
        "logfreq": (lf.T, "time-major [frames, n_bins]", "filterbank @ power"),
        "db": (librosa.power_to_db(lf, ref=1.0, amin=1e-10, top_db=None).T, "time-major [frames, n_bins]",
               "librosa.power_to_db(logfreq, ref=1.0, amin=1e-10, top_db=None)"),
    }


STFT_A = {"n_fft": 1024, "hop_length": 256, "window": "hann", "center": True, "pad_mode": "constant", "power": 2.0}
MEL_A = {"filterbank": "mel", "n_mels": 96, "fmin": 0.0, "fmax": 11025.0, "htk": False, "norm": "slaney"}
ALL_MEL_OUTPUTS = ("power", "filterbank", "mel", "db", "db_top80", "log1p")

CASES = [
    {"name": "mel_22050", "signal": "chirp_noise_22050", "kind": "mel",
     "params": {"sample_rate": 22050, **STFT_A, **MEL_A}, "outputs": ALL_MEL_OUTPUTS},
    {"name": "mel_16000_reflect", "signal": "tones_16000", "kind": "mel",
     "notes": ("musicnn front-end parameters. Pure tones without a noise floor: about half of the mel "
               "entries are < 1e-10 (numerical leakage, ~1e-17 in float64), so 'db' sits at the -100 dB "
               "amin floor there and a float32 implementation will differ; compare 'db' only where the "
               "reference is above about -60 dB, or use 'db_top80' (floor -64.6 dB). librosa 0.11 quirk: its tail frames reflect-pad only a "
               "256-sample slice, so the very last sample of the last frame is y[31745] instead of "
               "np.pad(mode='reflect')'s y[31743]; the effect on 'power' is < 3e-7 relative (window weight "
               "4e-5)"),
     "params": {"sample_rate": 16000, "n_fft": 512, "hop_length": 256, "window": "hann", "center": True,
                "pad_mode": "reflect", "power": 2.0, "filterbank": "mel", "n_mels": 96, "fmin": 0.0,
                "fmax": 8000.0, "htk": False, "norm": "slaney"},
     "outputs": ALL_MEL_OUTPUTS},
    {"name": "mel_htk_22050", "signal": "chirp_noise_22050", "kind": "mel",
     "notes": "power 1.0: the 'power' output holds the STFT magnitude",
     "params": {"sample_rate": 22050, "n_fft": 2048, "hop_length": 512, "window": "hann", "center": False,
                "pad_mode": "constant", "power": 1.0, "filterbank": "mel", "n_mels": 128, "fmin": 30.0,
                "fmax": 8000.0, "htk": True, "norm": None},
     "outputs": ("power", "filterbank", "mel")},
    {"name": "short_22050", "signal": "short_22050", "kind": "mel",
     "notes": "signal shorter than n_fft; parameters of mel_22050",
     "params": {"sample_rate": 22050, **STFT_A, **MEL_A}, "outputs": ("power", "mel")},
    {"name": "logfreq_22050", "signal": "chirp_noise_22050", "kind": "logfreq",
     "notes": ("log-frequency triangles: centres fmin*2^(k/bins_per_octave), k=-1..n_bins; filter i spans "
               "c_{i-1}..c_i..c_{i+1}, each half-width widened to >= sr/n_fft; librosa mel triangle "
               "construction; slaney area norm 2/(upper-lower) with the widened edges"),
     "params": {"sample_rate": 22050, "n_fft": 2048, "hop_length": 512, "window": "hann", "center": True,
                "pad_mode": "constant", "power": 2.0, "filterbank": "logfreq", "fmin": 32.703,
                "bins_per_octave": 12, "n_bins": 96, "norm": "slaney"},
     "outputs": ("filterbank", "power", "logfreq", "db")},
]


# --------------------------------------------------------------------------------------------

def save_npy(path, arr):
    a = np.ascontiguousarray(np.asarray(arr, dtype="<f4"))
    np.save(path, a, allow_pickle=False)
    return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: Tests/DSPTests/Fixtures)")
    args = ap.parse_args()
    out_dir = args.out
    os.makedirs(out_dir, exist_ok=True)

    print("checking the triangle construction against librosa.filters.mel", file=sys.stderr)
    check_triangles_match_librosa()

    manifest = {
        "generator": "tools/make_dsp_fixtures.py",
        "versions": {"librosa": librosa.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "conventions": {
            "dtype": "float32", "byte_order": "little", "order": "C",
            "spectrogram_layout": "time-major [frames, bins]",
            "filterbank_layout": "[n_filters, n_fft/2+1]",
            "window": "hann = periodic Hann, scipy.signal.get_window('hann', n_fft, fftbins=True)",
            "computed_in": "float64 (float32 signal converted to float64), stored as float32",
        },
        "signals": {},
        "cases": [],
    }
    signals = {}
    total = 0
    rows = []
    for name, fn in SIGNALS.items():
        sr, y, desc = fn()
        fname = f"signal_{name}.npy"
        save_npy(os.path.join(out_dir, fname), y)
        total += os.path.getsize(os.path.join(out_dir, fname))
        signals[name] = (sr, y)
        manifest["signals"][name] = {"file": fname, "sample_rate": sr, "n_samples": int(y.size),
                                     "max_abs": float(np.max(np.abs(y))), "description": desc}
        rows.append((fname, list(y.shape), float(np.max(np.abs(y)))))

    for case in CASES:
        p = case["params"]
        sr, y = signals[case["signal"]]
        assert sr == p["sample_rate"]
        y64 = y.astype(np.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if case["kind"] == "mel":
                outs = mel_case_outputs(y64, p, case["outputs"])
            else:
                outs = logfreq_case_outputs(y64, p)
        entry = {"name": case["name"], "signal": case["signal"], "kind": case["kind"]}
        if "notes" in case:
            entry["notes"] = case["notes"]
        entry["params"] = p
        entry["outputs"] = {}
        for w in caught:
            print(f"  {case['name']}: librosa warning: {w.message}", file=sys.stderr)
        for key in case["outputs"]:
            arr, layout, desc = outs[key]
            fname = f"{case['name']}_{key}.npy"
            a = save_npy(os.path.join(out_dir, fname), arr)
            total += os.path.getsize(os.path.join(out_dir, fname))
            finite = a[np.isfinite(a)]
            entry["outputs"][key] = {"file": fname, "shape": list(a.shape), "layout": layout,
                                     "max_abs": float(np.max(np.abs(finite))), "min": float(np.min(finite)),
                                     "max": float(np.max(finite)), "description": desc}
            rows.append((fname, list(a.shape), float(np.max(np.abs(finite)))))
        manifest["cases"].append(entry)

    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total += os.path.getsize(os.path.join(out_dir, "manifest.json"))

    w = max(len(r[0]) for r in rows)
    print(f"{'file':<{w}}  {'shape':<14}  max|value|")
    for fname, shape, mx in rows:
        print(f"{fname:<{w}}  {str(shape):<14}  {mx:.6g}")
    print(f"total {total / 1e6:.2f} MB in {os.path.relpath(out_dir, REPO)}")


if __name__ == "__main__":
    main()
