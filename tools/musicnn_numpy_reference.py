#!/usr/bin/env python3
"""Independent numpy forward pass of musicnn, written from docs/musicnn.md.

It reads our converted safetensors file (assets/models/musicnn-*.safetensors) with plain numpy
(no TensorFlow, no safetensors package) and runs the network in float64. It documents the
computation the Swift port has to reproduce, and it checks the converted weights and the doc
against the fixtures made by the ORIGINAL TensorFlow model (tools/make_musicnn_fixtures.py).

    # check against the fixtures (works in tools/.venv or tools/.venv-tf; only numpy needed,
    # librosa too for --frontend):
    tools/.venv/bin/python tools/musicnn_numpy_reference.py [--frontend] [--tolerance 1e-4]

Array conventions: a patch is time-major [T, 96] (T = 187 normally); channels-last everywhere.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MODELS_DIR = os.path.join(REPO, "assets", "models")
FIXTURES_DIR = os.path.join(REPO, "Tests", "EncodersTests", "Fixtures", "musicnn")

SAMPLE_RATE = 16000
N_FFT = 512
HOP = 256
N_MELS = 96
PATCH_FRAMES = 187


# ------------------------------------------------------------------------------------------
# safetensors reader (plain numpy)
# ------------------------------------------------------------------------------------------

def load_safetensors(path):
    """-> (dict name -> float32 ndarray, metadata dict of str -> str)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", (name, e["dtype"])
        b, end = e["data_offsets"]
        arr = np.frombuffer(data, dtype="<f4", count=(end - b) // 4, offset=base + b)
        tensors[name] = arr.reshape(e["shape"])
    return tensors, meta


# ------------------------------------------------------------------------------------------
# front end: audio (16 kHz mono float32) -> log-mel [frames, 96] -> patches [P, 187, 96]
# ------------------------------------------------------------------------------------------

def log_mel(y):
    """musicnn's input representation. Needs librosa (any version; pad_mode passed explicitly)."""
    import librosa
    mel = librosa.feature.melspectrogram(y=np.asarray(y, dtype=np.float32), sr=SAMPLE_RATE, n_fft=N_FFT,
                                         hop_length=HOP, n_mels=N_MELS, center=True, pad_mode="reflect",
                                         power=2.0, htk=False, norm="slaney").T  # [frames, 96] float32
    mel16 = mel.astype(np.float16).astype(np.float32)  # the float16 rounding of the mel POWER
    return np.log10(np.float32(10000.0) * mel16 + np.float32(1.0)).astype(np.float32)  # log in float32


def patches(logmel, n_frames=PATCH_FRAMES):
    """Non-overlapping patches starting at 0, 187, ...; the incomplete tail is dropped.
    Returns [0, 187, 96] if the input is shorter than one patch (musicnn 0.1.0 crashes there)."""
    starts = range(0, logmel.shape[0] - n_frames + 1, n_frames)
    return np.stack([logmel[s:s + n_frames] for s in starts]) if len(starts) else np.zeros((0, n_frames, N_MELS), np.float32)


# ------------------------------------------------------------------------------------------
# network
# ------------------------------------------------------------------------------------------

BN_EPS = 1e-3


def bn(x, w, prefix):
    """Inference BatchNorm over the last axis: gamma * (x - mean) / sqrt(var + 1e-3) + beta."""
    g, b = w[prefix + ".gamma"], w[prefix + ".beta"]
    m, v = w[prefix + ".moving_mean"], w[prefix + ".moving_variance"]
    return (x - m) / np.sqrt(v + BN_EPS) * g + b


def relu(x):
    return np.maximum(x, 0.0)


def pad_time(x, before, after):
    """Zero rows before/after along axis 0 (time)."""
    return np.pad(x, [(before, after)] + [(0, 0)] * (x.ndim - 1))


def timbral(xn, w, name):
    """Conv2D kernel [7, kw, 1, 204]: time padded 3/3 with zeros, frequency 'valid'; ReLU; BN;
    max over all remaining frequency positions.  xn: [T, 96] -> conv [T, 96-kw+1, 204], out [T, 204]."""
    k = w[f"frontend.{name}.conv.weight"]  # [7, kw, 1, 204]
    kh, kw = k.shape[0], k.shape[1]
    xp = pad_time(xn, 3, 3)  # [T+6, 96]
    win = sliding_window_view(xp, (kh, kw))  # [T, 96-kw+1, 7, kw]
    conv = np.tensordot(win, k[:, :, 0, :], axes=([2, 3], [0, 1])) + w[f"frontend.{name}.conv.bias"]
    b = bn(relu(conv), w, f"frontend.{name}.bn")
    return conv, b, b.max(axis=1)


def temporal(xn, w, name):
    """Conv2D kernel [k, 1, 1, 51] with TF 'same' padding in time: (k-1)//2 zeros before,
    the rest after (k=128: 63/64, 64: 31/32, 32: 15/16); ReLU; BN; max over the 96 mel bands.
    xn: [T, 96] -> conv [T, 96, 51], out [T, 51]."""
    k = w[f"frontend.{name}.conv.weight"]  # [k, 1, 1, 51]
    kh = k.shape[0]
    before = (kh - 1) // 2
    xp = pad_time(xn, before, kh - 1 - before)  # [T+k-1, 96]
    win = sliding_window_view(xp, kh, axis=0)  # [T, 96, k]
    conv = np.tensordot(win, k[:, 0, 0, :], axes=([2], [0])) + w[f"frontend.{name}.conv.bias"]
    b = bn(relu(conv), w, f"frontend.{name}.bn")
    return conv, b, b.max(axis=1)


def midend_conv(x, w, name):
    """1-D convolution over time: kernel [7, Cin, 1, 64] (= Conv1D [7, Cin, 64]), zero padding 3/3,
    + bias, ReLU, BN.  x: [T, Cin] -> conv [T, 64], out [T, 64]."""
    k = w[f"midend.{name}.conv.weight"][:, :, 0, :]  # [7, Cin, 64]
    xp = pad_time(x, 3, 3)
    win = sliding_window_view(xp, 7, axis=0)  # [T, Cin, 7]
    conv = np.tensordot(win, k, axes=([2, 1], [0, 1])) + w[f"midend.{name}.conv.bias"]
    return conv, bn(relu(conv), w, f"midend.{name}.bn")


def forward(w, patch, dtype=np.float64):
    """patch: [T, 96] log-mel. Returns a dict of every intermediate (names as in the fixtures)."""
    w = {k: v.astype(dtype) for k, v in w.items()}
    x = np.asarray(patch, dtype=dtype)
    r = {}
    xn = bn(x, w, "frontend.input_bn")  # scalar BN on the log-mel (one channel)
    r["input_bn"] = xn
    pooled = []
    for name in ("timbral_74", "timbral_77"):
        conv, b, p = timbral(xn, w, name)
        r[f"{name}.conv"], r[f"{name}.bn"], r[f"{name}.pool"] = conv, b, p
        pooled.append(p)
    for name in ("temporal_128", "temporal_64", "temporal_32"):
        conv, b, p = temporal(xn, w, name)
        r[f"{name}.conv"], r[f"{name}.bn"], r[f"{name}.pool"] = conv, b, p
        pooled.append(p)
    fe = np.concatenate(pooled, axis=1)  # [T, 561] = 204 | 204 | 51 | 51 | 51
    r["frontend_concat"] = fe

    c1, m1 = midend_conv(fe, w, "conv1")  # [T, 64]
    c2, b2 = midend_conv(m1, w, "conv2")
    m2 = b2 + m1  # residual
    c3, b3 = midend_conv(m2, w, "conv3")
    m3 = b3 + m2  # residual
    r.update({"midend.conv1.conv": c1, "midend.conv1.bn": m1,
              "midend.conv2.conv": c2, "midend.conv2.bn": b2, "midend.conv2.residual": m2,
              "midend.conv3.conv": c3, "midend.conv3.bn": b3, "midend.conv3.residual": m3})
    feat = np.concatenate([fe, m1, m2, m3], axis=1)  # [T, 753]
    r["midend_concat"] = feat

    mx = feat.max(axis=0)  # [753]
    mean = feat.mean(axis=0)  # [753]
    pooled_vec = np.stack([mx, mean], axis=1).reshape(-1)  # [1506] interleaved: max0, mean0, max1, ...
    r["backend.max_pool"], r["backend.mean_pool"], r["backend.pooled"] = mx, mean, pooled_vec
    p = bn(pooled_vec, w, "backend.pool_bn")
    r["backend.pool_bn"] = p
    d = p @ w["backend.dense.weight"] + w["backend.dense.bias"]  # [200]
    r["backend.dense"] = d
    emb = bn(relu(d), w, "backend.dense_bn")  # the 200-d "penultimate" embedding
    r["embedding"] = emb
    logits = emb @ w["backend.output.weight"] + w["backend.output.bias"]  # [50]
    r["logits"] = logits
    r["probabilities"] = 1.0 / (1.0 + np.exp(-logits))
    return r


def count(w):
    """Parameters and multiply-accumulates per 187-frame patch (convolutions and dense layers)."""
    T = PATCH_FRAMES
    macs = {}
    for name in ("timbral_74", "timbral_77"):
        k = w[f"frontend.{name}.conv.weight"].shape
        macs[f"frontend.{name}"] = T * (N_MELS - k[1] + 1) * k[3] * k[0] * k[1] * k[2]
    for name in ("temporal_128", "temporal_64", "temporal_32"):
        k = w[f"frontend.{name}.conv.weight"].shape
        macs[f"frontend.{name}"] = T * N_MELS * k[3] * k[0]
    for name in ("conv1", "conv2", "conv3"):
        k = w[f"midend.{name}.conv.weight"].shape
        macs[f"midend.{name}"] = T * k[3] * k[0] * k[1]
    for name in ("dense", "output"):
        k = w[f"backend.{name}.weight"].shape
        macs[f"backend.{name}"] = k[0] * k[1]
    params = sum(v.size for v in w.values())
    trainable = sum(v.size for n, v in w.items() if not n.endswith(("moving_mean", "moving_variance")))
    return params, trainable, macs


# ------------------------------------------------------------------------------------------
# check against the TensorFlow fixtures
# ------------------------------------------------------------------------------------------

def load_npy(d, f):
    return np.load(os.path.join(d, f))


def check(fixtures, tol, with_frontend):
    with open(os.path.join(fixtures, "manifest.json")) as f:
        man = json.load(f)
    worst = 0.0
    ok = True
    weights = {}

    def model(ds):
        if ds not in weights:
            weights[ds] = load_safetensors(os.path.join(MODELS_DIR, f"musicnn-{ds.lower()}.safetensors"))[0]
        return weights[ds]

    # 1. per-patch embeddings and probabilities, song means
    for run in man["runs"]:
        w = model(run["dataset"])
        X = load_npy(fixtures, run["patches"]["file"])
        if X.ndim == 2:  # a whole log-mel [frames, 96] fed as one patch
            X = X[None]
        outs = [forward(w, X[i]) for i in range(X.shape[0])]
        emb = np.stack([o["embedding"] for o in outs])
        prob = np.stack([o["probabilities"] for o in outs])
        for key, ours in (("embeddings", emb), ("probabilities", prob),
                          ("song_embedding", emb.mean(0)), ("song_probabilities", prob.mean(0))):
            ref = load_npy(fixtures, run["outputs"][key]["file"])
            err = float(np.max(np.abs(ours - ref)))
            worst = max(worst, err)
            good = err <= tol
            ok &= good
            print(f"{'ok ' if good else 'BAD'} {run['name']:<34} {key:<18} max|numpy-TF| = {err:.3g}")
    # 2. every intermediate of the first patch of one signal
    inter = man["intermediates"]
    w = model(inter["dataset"])
    X = load_npy(fixtures, inter["patches_file"])[inter["patch_index"]]
    r = forward(w, X)
    for name, e in inter["tensors"].items():
        ref = load_npy(fixtures, e["file"])
        ours = r[name]
        if "columns" in e:  # stored as a column range of another file
            ref = ref[:, e["columns"][0]:e["columns"][1]]
        if "time_rows" in e:
            ours = ours[e["time_rows"]]
        assert ours.shape == ref.shape, (name, ours.shape, ref.shape)
        err = float(np.max(np.abs(ours - ref)))
        scale = float(np.max(np.abs(ref))) or 1.0
        good = err <= tol * max(1.0, scale)
        ok &= good
        print(f"{'ok ' if good else 'BAD'} intermediate {name:<28} {str(list(ref.shape)):<16} max|numpy-TF| = {err:.3g} (max|ref| {scale:.3g})")
    # 3. optionally the front end from the signals
    if with_frontend:
        for sig in man["signals"].values():
            y = load_npy(fixtures, sig["file"])
            lm = log_mel(y)
            ref = load_npy(fixtures, sig["logmel"]["file"])
            if ref.ndim == 3:  # a patches file: compare the patches
                lm = patches(lm)
            err = float(np.max(np.abs(lm - ref)))
            n_diff = int(np.sum(lm != ref))
            print(f"{'ok ' if err <= 1e-3 else 'BAD'} frontend {sig['file']:<28} max|numpy-fixture| = {err:.3g}, {n_diff} values differ")
            ok &= err <= 1e-3
    print(f"worst embedding/probability error: {worst:.3g} (tolerance {tol})")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=FIXTURES_DIR)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--frontend", action="store_true", help="also recompute the log-mel from the signals (needs librosa)")
    ap.add_argument("--count", action="store_true", help="print parameter and MAC counts and exit")
    args = ap.parse_args()
    if args.count:
        w, _ = load_safetensors(os.path.join(MODELS_DIR, "musicnn-mtt.safetensors"))
        params, trainable, macs = count(w)
        total = sum(macs.values())
        for k, v in macs.items():
            print(f"{k:<24} {v:>13,d} MAC  {100 * v / total:5.2f} %")
        print(f"{'total':<24} {total:>13,d} MAC per {PATCH_FRAMES}-frame patch")
        print(f"parameters: {params:,d} stored, {trainable:,d} trainable (without BN moving statistics)")
        return
    sys.exit(0 if check(args.fixtures, args.tolerance, args.frontend) else 1)


if __name__ == "__main__":
    main()
