#!/usr/bin/env python3
"""Reference fixtures for the Swift port of musicnn, made by the ORIGINAL TensorFlow model.

Run with the TensorFlow venv (tools/setup-python-tf.sh):

    tools/.venv-tf/bin/python tools/make_musicnn_fixtures.py [--out DIR]

Default output: Tests/EncodersTests/Fixtures/musicnn/ (float32 .npy, little-endian, C order,
plus manifest.json describing every file). The graph is built by musicnn 0.1.0's own
musicnn/models.py (define_model) and restored from the package's checkpoints exactly as
musicnn/extractor.py does; tensors are read straight from the graph (not from the extractor's
return values, which repeat the first patch's 'penultimate' and 'cnn1..3' for later patches).

The front end reproduces musicnn.extractor.batch_data with the librosa behaviour of musicnn's
time (librosa < 0.9: stft pad_mode 'reflect'); see docs/musicnn.md.
"""
import argparse
import contextlib
import io
import json
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "Tests", "EncodersTests", "Fixtures", "musicnn")
sys.path.insert(0, HERE)
import musicnn_numpy_reference as ref  # noqa: E402  (log_mel / patches: the documented front end)

import librosa  # noqa: E402
import soundfile  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_eager_execution()
tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
import musicnn  # noqa: E402
from musicnn import configuration as mconfig  # noqa: E402
from musicnn import extractor as mextractor  # noqa: E402
from musicnn import models as mmodels  # noqa: E402

SR = 16000
MUSICNN_DIR = os.path.dirname(musicnn.__file__)


# ------------------------------------------------------------------------------------------
# deterministic test signals
# ------------------------------------------------------------------------------------------

def harmonic(f0, t, n_harm=5, decay=1.0):
    return sum((1.0 / h ** decay) * np.sin(2 * np.pi * f0 * h * t + 0.3 * h) for h in range(1, n_harm + 1))


def peak(x, p):
    return (x / np.max(np.abs(x)) * p).astype(np.float32)


def signal_chord_noise():
    n = 4 * SR
    t = np.arange(n) / SR
    rng = np.random.default_rng(20260101)
    chord = sum(harmonic(f, t, 6, 1.2) for f in (130.81, 261.63, 329.63, 392.00))  # C3 C4 E4 G4
    chord *= 0.8 + 0.2 * np.sin(2 * np.pi * 4.0 * t)  # 4 Hz tremolo
    chord *= np.minimum(1.0, t / 0.05)  # 50 ms attack
    noise = rng.standard_normal(n)
    return peak(chord / np.max(np.abs(chord)) + 0.05 * noise, 0.5), \
        "4.0 s: C major chord (C3 C4 E4 G4, 6 harmonics each, 4 Hz tremolo, 50 ms attack) + white noise (seed 20260101, 0.05 rel.), peak 0.5"


def signal_melody_clicks():
    n = 7 * SR
    t = np.arange(n) / SR
    rng = np.random.default_rng(20260202)
    notes = [440.0, 493.88, 554.37, 659.25, 739.99, 659.25, 554.37, 493.88,
             440.0, 369.99, 329.63, 369.99, 440.0, 554.37]  # A major pentatonic-ish line, 0.5 s each
    mel = np.zeros(n)
    for i, f in enumerate(notes):
        s, e = int(i * 0.5 * SR), int((i + 1) * 0.5 * SR)
        tt = t[s:e] - t[s]
        env = np.minimum(1.0, tt / 0.01) * np.exp(-tt * 3.0)
        mel[s:e] += env * harmonic(f, tt, 8, 1.0)
    perc = np.zeros(n)
    for k in range(int(7 / 0.25)):  # hi-hat-like click every 250 ms
        s = int(k * 0.25 * SR)
        L = min(int(0.03 * SR), n - s)
        perc[s:s + L] += 0.6 * rng.standard_normal(L) * np.exp(-np.arange(L) / (0.004 * SR))
    for k in range(int(7 / 0.5)):  # kick every 500 ms
        s = int(k * 0.5 * SR)
        L = min(int(0.15 * SR), n - s)
        tt = np.arange(L) / SR
        perc[s:s + L] += 1.5 * np.sin(2 * np.pi * (50 + 80 * np.exp(-tt * 30)) * tt) * np.exp(-tt * 25)
    return peak(mel / np.max(np.abs(mel)) + 0.7 * perc / np.max(np.abs(perc)), 0.7), \
        ("7.0 s: 14-note melody (0.5 s notes, 8 harmonics, 10 ms attack, exp. decay) + noise clicks every "
         "250 ms (seed 20260202) + pitched-down kick every 500 ms, peak 0.7")


def signal_short():
    n = int(2.5 * SR)
    t = np.arange(n) / SR
    rng = np.random.default_rng(20260303)
    x = np.zeros(n)
    for i, f in enumerate((196.0, 246.94, 293.66, 392.0, 293.66)):  # plucked G major arpeggio
        s = int(i * 0.5 * SR)
        tt = t[s:] - t[s]
        x[s:] += np.exp(-tt * 6.0) * harmonic(f, tt, 10, 0.8)
    b = rng.standard_normal(n)
    pink = np.cumsum(b) * 0.02
    pink -= np.convolve(pink, np.ones(401) / 401, mode="same")  # crude reddish noise, DC removed
    return peak(x / np.max(np.abs(x)) + 0.1 * pink / np.max(np.abs(pink)), 0.5), \
        "2.5 s: plucked G major arpeggio (5 notes, 10 harmonics, exp. decay) + reddish noise (seed 20260303), peak 0.5"


# ------------------------------------------------------------------------------------------
# the original model
# ------------------------------------------------------------------------------------------

class Musicnn:
    """musicnn's TF1 graph (built by musicnn.models.define_model) restored from the package."""

    def __init__(self, model):
        self.model = model
        self.graph = tf.Graph()
        with self.graph.as_default():
            with tf.name_scope("model"):
                # time length left open: the network is length-agnostic (used for the short signal)
                self.x = tf.compat.v1.placeholder(tf.float32, [None, None, mconfig.N_MELS])
                self.is_training = tf.compat.v1.placeholder(tf.bool)
                outs = mmodels.define_model(self.x, self.is_training, model, 50)
                (self.logits, self.timbral, self.temporal, self.cnn1, self.cnn2, self.cnn3,
                 self.mean_pool, self.max_pool, self.penultimate) = outs
                self.probs = tf.nn.sigmoid(self.logits)
            self.sess = tf.compat.v1.Session(graph=self.graph)
            self.sess.run(tf.compat.v1.global_variables_initializer())
            tf.compat.v1.train.Saver().restore(self.sess, os.path.join(MUSICNN_DIR, model) + "/")
        g = self.graph

        def t(name):
            return g.get_tensor_by_name(name + ":0")

        def inp(op):
            return g.get_operation_by_name(op).inputs[0]

        # every intermediate, by the graph's op names (see docs/musicnn.md for the mapping)
        self.inter = {"input_bn": inp("model/Pad")}
        for i, name in enumerate(("timbral_74", "timbral_77", "temporal_128", "temporal_64", "temporal_32")):
            sfx = "" if i == 0 else f"_{i}"
            self.inter[f"{name}.conv"] = t(f"model/conv2d{sfx}/BiasAdd")
            self.inter[f"{name}.bn"] = inp(f"model/max_pooling2d{sfx}/MaxPool")
            self.inter[f"{name}.pool"] = t(f"model/Squeeze{sfx}")
        self.inter["frontend_concat"] = t("model/concat")
        self.inter["midend.conv1.conv"] = t("model/conv2d_5/BiasAdd")
        self.inter["midend.conv1.bn"] = t("model/transpose")
        self.inter["midend.conv2.conv"] = t("model/conv2d_6/BiasAdd")
        self.inter["midend.conv2.bn"] = t("model/transpose_1")
        self.inter["midend.conv2.residual"] = t("model/Add")
        self.inter["midend.conv3.conv"] = t("model/conv2d_7/BiasAdd")
        self.inter["midend.conv3.bn"] = t("model/transpose_2")
        self.inter["midend.conv3.residual"] = t("model/Add_1")
        self.inter["midend_concat"] = t("model/concat_1")
        self.inter["backend.max_pool"] = self.max_pool
        self.inter["backend.mean_pool"] = self.mean_pool
        self.inter["backend.pooled"] = t("model/flatten/Reshape")
        self.inter["backend.pool_bn"] = t("model/batch_normalization_9/batchnorm/add_1")
        self.inter["backend.dense"] = t("model/dense/BiasAdd")
        self.inter["embedding"] = self.penultimate
        self.inter["logits"] = self.logits
        self.inter["probabilities"] = self.probs
        # consistency of the name-based lookup with what build_musicnn returns
        self._same = [(self.inter["midend.conv1.bn"], self.cnn1), (self.inter["midend.conv2.residual"], self.cnn2),
                      (self.inter["midend.conv3.residual"], self.cnn3)]

    def run(self, X):
        """X: [P, T, 96] -> dict name -> [P, ...] numpy (squeezed of TF's singleton axes)."""
        names = list(self.inter)
        vals = self.sess.run([self.inter[n] for n in names] + [a for p in self._same for a in p] +
                             [self.timbral, self.temporal],
                             feed_dict={self.x: X, self.is_training: False})
        out = {}
        for n, v in zip(names, vals):
            v = np.asarray(v, dtype=np.float32)
            # squeeze TF's singleton axes but keep the batch axis: [P,T,1,64] -> [P,T,64]; [P,753,1] -> [P,753]
            out[n] = v.reshape([v.shape[0]] + [d for d in v.shape[1:] if d != 1]) if v.ndim > 2 else v
        extra = vals[len(names):]
        for a, b in zip(extra[0:6:2], extra[1:6:2]):
            assert np.array_equal(a, b)
        timbral, temporal = extra[6], extra[7]
        fe = out["frontend_concat"]
        assert np.array_equal(np.concatenate([timbral, temporal], axis=2), fe)  # concat order check
        return out

    def bn_epsilons(self):
        eps = set()
        gd = self.graph.as_graph_def()
        nodes = list(gd.node) + [n for f in gd.library.function for n in f.node_def]
        for n in nodes:
            if n.op.startswith("FusedBatchNorm") or n.op == "FusedBatchNormV3":
                eps.add(round(n.attr["epsilon"].f, 9))
        for n in gd.node:  # non-fused BN (2-D inputs): batchnorm/add(variance, epsilon)
            if n.name.endswith("batchnorm/add/y"):
                eps.add(round(float(tf.make_ndarray(n.attr["value"].tensor)), 9))
        return sorted(eps)


# ------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------

class Writer:
    def __init__(self, out):
        self.out = out
        self.total = 0
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            if f.endswith(".npy"):
                os.remove(os.path.join(out, f))

    def save(self, name, arr, layout, description=None, **extra):
        arr = np.ascontiguousarray(np.asarray(arr, dtype="<f4"))
        fname = name + ".npy"
        np.save(os.path.join(self.out, fname), arr, allow_pickle=False)
        self.total += os.path.getsize(os.path.join(self.out, fname))
        e = {"file": fname, "shape": list(arr.shape), "layout": layout}
        if arr.size:
            e["max_abs"] = float(np.max(np.abs(arr)))
        if description:
            e["description"] = description
        e.update(extra)
        return e


def extractor_checks(sig_path_by_name, X_by_name, models):
    """Run the package's own extractor (pad_mode forced to 'reflect' as in librosa < 0.9) and report
    (a) whether its taggram equals our graph run, (b) the penultimate/cnn bug, (c) short input."""
    report = {}
    orig_mel = librosa.feature.melspectrogram

    def mel_reflect(*a, **k):
        k.setdefault("pad_mode", "reflect")
        return orig_mel(*a, **k)

    for name, path in sig_path_by_name.items():
        r = {}
        for pad in ("reflect", "librosa-0.11-default"):
            librosa.feature.melspectrogram = mel_reflect if pad == "reflect" else orig_mel
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    taggram, _, feats = mextractor.extractor(path, model="MTT_musicnn", extract_features=True)
            except Exception as e:  # noqa: BLE001
                r[pad] = {"error": f"{type(e).__name__}: {e}"}
                continue
            finally:
                librosa.feature.melspectrogram = orig_mel
            ours = models["MTT_musicnn"].run(X_by_name[name])
            pen = np.asarray(feats["penultimate"])
            rr = {"patches": int(taggram.shape[0]),
                  "max_abs_diff_taggram_vs_graph": float(np.max(np.abs(taggram - ours["probabilities"])))}
            if taggram.shape[0] > 1:
                rr["extractor_penultimate_rows_identical"] = bool(np.all(pen == pen[0]))
                rr["extractor_cnn3_rows_identical"] = bool(np.array_equal(feats["cnn3"][:187], feats["cnn3"][187:374]))
                rr["max_abs_diff_penultimate_patch1_extractor_vs_graph"] = float(np.max(np.abs(pen[1] - ours["embedding"][1])))
            rr["max_abs_diff_penultimate_patch0_extractor_vs_graph"] = float(np.max(np.abs(pen[0] - ours["embedding"][0])))
            r[pad] = rr
        report[name] = r
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    W = Writer(args.out)

    models = {m: Musicnn(m) for m in ("MTT_musicnn", "MSD_musicnn")}
    manifest = {
        "generator": "tools/make_musicnn_fixtures.py",
        "versions": {"tensorflow": tf.__version__, "numpy": np.__version__, "librosa": librosa.__version__,
                     "musicnn": "0.1.0"},
        "conventions": {
            "dtype": "float32", "byte_order": "little", "order": "C",
            "time_major": "every time axis comes first after the patch axis: [patches, frames, ...]",
            "channels_last": True,
            "tensorflow_singleton_axes": "squeezed (e.g. TF [1,187,1,64] is stored [187,64])",
        },
        "frontend": {
            "sample_rate": SR, "n_fft": 512, "hop_length": 256, "window": "hann (periodic)", "center": True,
            "pad_mode": "reflect", "power": 2.0, "n_mels": 96, "fmin": 0, "fmax": 8000, "htk": False,
            "norm": "slaney",
            "compression": "log10(10000 * float32(float16(mel)) + 1), computed in float32",
            "patching": "non-overlapping 187-frame patches from frame 0; incomplete tail dropped",
            "bn_epsilons_in_graph": models["MTT_musicnn"].bn_epsilons(),
        },
        "signals": {}, "runs": [],
    }

    sigs = {"chord_noise_4s": signal_chord_noise(), "melody_clicks_7s": signal_melody_clicks(),
            "short_2p5s": signal_short()}
    logmels, patch_sets = {}, {}
    for name, (y, desc) in sigs.items():
        lm = ref.log_mel(y)
        P = ref.patches(lm)
        logmels[name], patch_sets[name] = lm, P
        e = W.save(f"signal_{name}", y, "[samples] mono 16 kHz", desc, sample_rate=SR, n_samples=int(y.size))
        e["logmel"] = {"n_frames": int(lm.shape[0]), "n_patches": int(P.shape[0]),
                       "frames_dropped_at_end": int(lm.shape[0] - P.shape[0] * 187)}
        manifest["signals"][name] = e

    # log-mel files: the patches exactly as fed to the network; for the short signal the whole log-mel
    def patches_entry(fname, X, desc):
        return W.save(fname, X, "[patches, 187 frames, 96 mels] (time-major log-mel after float16 rounding)", desc)

    pe = {n: patches_entry(f"patches_{n}", patch_sets[n], f"log-mel patches of signal {n}")
          for n in ("chord_noise_4s", "melody_clicks_7s")}
    short_lm = logmels["short_2p5s"]
    manifest["signals"]["short_2p5s"]["logmel"]["file"] = "logmel_short_2p5s.npy"
    short_full = W.save("logmel_short_2p5s", short_lm, "[frames, 96 mels] whole log-mel (157 frames < 187: no patch)",
                        "whole log-mel of the short signal")
    for n in ("chord_noise_4s", "melody_clicks_7s"):
        manifest["signals"][n]["logmel"]["file"] = pe[n]["file"]
        manifest["signals"][n]["logmel"]["note"] = "patches file; the dropped tail frames are not stored"

    # short-signal variants (musicnn itself produces no patch and crashes; see extractor_checks)
    T = short_lm.shape[0]
    zero_pad = np.concatenate([short_lm, np.zeros((187 - T, 96), np.float32)])[None]
    reps = int(np.ceil(187 / T))
    repeat_pad = np.tile(short_lm, (reps, 1))[:187][None]
    short_sets = {
        "short_2p5s_full_length": (short_lm[None], "the whole 157-frame log-mel fed as one shorter patch "
                                                  "(the network is length-agnostic)"),
        "short_2p5s_zero_pad": (zero_pad, "log-mel padded at the end with zeros (= log10(1), digital silence) to 187 frames"),
        "short_2p5s_repeat_pad": (repeat_pad, "log-mel repeated (tiled) to 187 frames; 'repeat-pad' is the "
                                              "pad_short value in the checkpoints' training config.json"),
    }
    for n, (X, d) in short_sets.items():
        if n == "short_2p5s_full_length":
            pe[n] = dict(short_full)
            pe[n]["note"] = "stored as [frames, 96]; feed as one patch [1, 157, 96]"
        else:
            pe[n] = patches_entry(f"patches_{n}", X, d)
        patch_sets[n] = X

    # runs: per-patch embeddings / probabilities and song means
    run_list = [("MTT", "chord_noise_4s"), ("MTT", "melody_clicks_7s"), ("MSD", "melody_clicks_7s")] + \
               [("MTT", n) for n in short_sets]
    for ds, sname in run_list:
        m = models[f"{ds}_musicnn"]
        X = patch_sets[sname]
        o = m.run(X)
        base = f"{ds.lower()}_{sname}"
        desc = short_sets[sname][1] if sname in short_sets else None
        run = {"name": base, "dataset": ds, "signal": sname.split("_full")[0].split("_zero")[0].split("_repeat")[0],
               "patches": {"file": pe[sname]["file"], "shape": list(X.shape)}, "outputs": {}}
        if desc:
            run["variant"] = desc
        if sname == "short_2p5s_full_length":
            run["patches"]["note"] = "file is [157, 96]; add a leading patch axis"
        run["outputs"]["embeddings"] = W.save(f"{base}_embeddings", o["embedding"], "[patches, 200]",
                                              "per-patch penultimate (backend dense -> ReLU -> BN) from the graph")
        run["outputs"]["probabilities"] = W.save(f"{base}_probabilities", o["probabilities"], "[patches, 50] (tag order of metadata 'tags')",
                                                 "per-patch sigmoid(logits)")
        run["outputs"]["logits"] = W.save(f"{base}_logits", o["logits"], "[patches, 50]", "per-patch logits")
        run["outputs"]["song_embedding"] = W.save(f"{base}_song_embedding", o["embedding"].mean(0), "[200]",
                                                  "mean over patches of the embeddings")
        run["outputs"]["song_probabilities"] = W.save(f"{base}_song_probabilities", o["probabilities"].mean(0), "[50]",
                                                      "mean over patches of the probabilities (musicnn's song-level tags)")
        labels = mconfig.MTT_LABELS if ds == "MTT" else mconfig.MSD_LABELS
        top = np.argsort(-o["probabilities"].mean(0))[:5]
        run["top5_tags"] = [[labels[i], round(float(o["probabilities"].mean(0)[i]), 4)] for i in top]
        manifest["runs"].append(run)

    # every intermediate for the first patch of melody_clicks_7s (MTT)
    m = models["MTT_musicnn"]
    o = m.run(patch_sets["melody_clicks_7s"][:1])
    edge_rows = [0, 1, 185, 186]
    big = {"timbral_74.conv", "timbral_74.bn", "timbral_77.conv", "timbral_77.bn", "temporal_128.conv", "temporal_128.bn",
           "temporal_64.conv", "temporal_64.bn", "temporal_32.conv", "temporal_32.bn"}
    layouts = {
        "input_bn": "[187 frames, 96 mels]: BatchNorm(1 channel) of the log-mel patch",
        "timbral_74.conv": "[frames, 59 freq positions, 204]: conv + bias, before ReLU",
        "timbral_74.bn": "[frames, 59, 204]: BN(ReLU(conv))",
        "timbral_74.pool": "[187, 204]: max over the 59 freq positions",
        "timbral_77.conv": "[frames, 30 freq positions, 204]: conv + bias, before ReLU",
        "timbral_77.bn": "[frames, 30, 204]: BN(ReLU(conv))",
        "timbral_77.pool": "[187, 204]: max over the 30 freq positions",
        "temporal_128.conv": "[frames, 96 mels, 51]: conv + bias, before ReLU",
        "temporal_128.bn": "[frames, 96, 51]: BN(ReLU(conv))",
        "temporal_128.pool": "[187, 51]: max over the 96 mels",
        "temporal_64.conv": "[frames, 96, 51]", "temporal_64.bn": "[frames, 96, 51]", "temporal_64.pool": "[187, 51]",
        "temporal_32.conv": "[frames, 96, 51]", "temporal_32.bn": "[frames, 96, 51]", "temporal_32.pool": "[187, 51]",
        "frontend_concat": "[187, 561] = timbral_74.pool (0..203) | timbral_77.pool (204..407) | temporal_128.pool "
                           "(408..458) | temporal_64.pool (459..509) | temporal_32.pool (510..560)",
        "midend.conv1.conv": "[187, 64]: conv + bias, before ReLU",
        "midend.conv1.bn": "[187, 64]: BN(ReLU(conv)) (= musicnn 'cnn1')",
        "midend.conv2.conv": "[187, 64]: conv over midend.conv1.bn, before ReLU",
        "midend.conv2.bn": "[187, 64]: BN(ReLU(conv))",
        "midend.conv2.residual": "[187, 64]: midend.conv2.bn + midend.conv1.bn (= musicnn 'cnn2')",
        "midend.conv3.conv": "[187, 64]: conv over midend.conv2.residual, before ReLU",
        "midend.conv3.bn": "[187, 64]: BN(ReLU(conv))",
        "midend.conv3.residual": "[187, 64]: midend.conv3.bn + midend.conv2.residual (= musicnn 'cnn3')",
        "midend_concat": "[187, 753] = frontend_concat (0..560) | midend.conv1.bn (561..624) | midend.conv2.residual "
                         "(625..688) | midend.conv3.residual (689..752)",
        "backend.max_pool": "[753]: max over time of midend_concat",
        "backend.mean_pool": "[753]: mean over time of midend_concat",
        "backend.pooled": "[1506]: interleaved [max0, mean0, max1, mean1, ...] (TF concat on a trailing axis then flatten)",
        "backend.pool_bn": "[1506]: BN of backend.pooled",
        "backend.dense": "[200]: pool_bn @ W + b, before ReLU",
        "embedding": "[200]: BN(ReLU(backend.dense)) = 'penultimate'",
        "logits": "[50]", "probabilities": "[50]: sigmoid(logits)",
    }
    inter = {"dataset": "MTT", "signal": "melody_clicks_7s", "patches_file": pe["melody_clicks_7s"]["file"],
             "patch_index": 0, "tensors": {}}
    # Column slices of midend_concat are not stored twice: their manifest entry points into it.
    col = {"timbral_74.pool": (0, 204), "timbral_77.pool": (204, 408), "temporal_128.pool": (408, 459),
           "temporal_64.pool": (459, 510), "temporal_32.pool": (510, 561), "frontend_concat": (0, 561),
           "midend.conv1.bn": (561, 625), "midend.conv2.residual": (625, 689), "midend.conv3.residual": (689, 753)}
    mc = o["midend_concat"][0]
    for name, (a, b) in col.items():
        assert np.array_equal(o[name][0], mc[:, a:b]), name
    for name, v in o.items():
        v = v[0]
        extra = {}
        if name in col:
            a, b = col[name]
            inter["tensors"][name] = {"file": "inter_midend_concat.npy", "columns": [a, b], "shape": list(v.shape),
                                      "layout": layouts[name],
                                      "note": f"not stored separately: columns {a}..{b - 1} of inter_midend_concat.npy"}
            continue
        if name in big:
            v = v[edge_rows]
            extra["time_rows"] = edge_rows
            extra["note"] = ("only frames 0, 1, 185, 186 are stored (size); they exercise the zero padding at both "
                             "edges; all 187 frames of the pooled result are columns of inter_midend_concat.npy")
        inter["tensors"][name] = W.save(f"inter_{name.replace('.', '_')}", v, layouts[name], None, **extra)
    manifest["intermediates"] = inter

    # the package's own extractor: agreement, the penultimate bug, short-input behaviour
    tmp = tempfile.mkdtemp(prefix="musicnn-fixtures-")
    paths = {}
    for name, (y, _) in sigs.items():
        p = os.path.join(tmp, name + ".wav")
        soundfile.write(p, y, SR, subtype="FLOAT")
        paths[name] = p
    X_by = {n: patch_sets[n] for n in ("chord_noise_4s", "melody_clicks_7s")}
    X_by["short_2p5s"] = zero_pad
    manifest["package_extractor_checks"] = {
        "what": ("musicnn.extractor.extractor(wav, 'MTT_musicnn') run on each signal written as 32-bit float WAV, "
                 "once with librosa's melspectrogram forced to pad_mode='reflect' (librosa < 0.9 behaviour) and "
                 "once with librosa 0.11's default ('constant'), compared with our graph run on our patches"),
        "results": extractor_checks(paths, X_by, models),
    }
    for p in paths.values():
        os.remove(p)
    os.rmdir(tmp)

    manifest["check"] = ("tools/musicnn_numpy_reference.py recomputes every output here from the converted "
                         "assets/models/musicnn-*.safetensors (float64 numpy) and compares")
    manifest["total_npy_bytes"] = W.total
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {args.out}: {W.total} bytes of .npy")


if __name__ == "__main__":
    main()
