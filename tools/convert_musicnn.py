#!/usr/bin/env python3
"""Convert musicnn's TensorFlow checkpoints (MTT_musicnn, MSD_musicnn) to safetensors.

Run with the TensorFlow venv (tools/setup-python-tf.sh creates it):

    tools/.venv-tf/bin/python tools/convert_musicnn.py [--musicnn-dir DIR] [--out DIR]

Writes (default --out is assets/models/ of this repository):
    musicnn-mtt.safetensors, musicnn-msd.safetensors, MUSICNN-LICENSE.txt

Every tensor is the checkpoint variable copied byte for byte (float32, little-endian, C order,
TensorFlow's own layout: Conv2D kernel [kh, kw, in, out], Dense kernel [in, out], vectors [C]).
Optimizer slots (Adam, beta1_power, ...) are dropped. The names and the exact computation are
documented in docs/musicnn.md; tools/musicnn_numpy_reference.py runs the written file.

The script is deterministic: for the same musicnn checkpoint it writes byte-identical files.
"""
import argparse
import hashlib
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "assets", "models")

MUSICNN_VERSION = "0.1.0"
BN_EPSILON = 0.001  # tf.compat.v1.layers.batch_normalization default, used everywhere in musicnn

# Our name prefix -> (TF layer name in the checkpoint, kind, expected shapes).
# Order = creation order in musicnn/models.py build_musicnn (= order of the data in the file).
# TF auto-numbers layers in creation order: batch_normalization, conv2d, batch_normalization_1, ...
LAYERS = [
    ("frontend.input_bn", "batch_normalization", "bn", 1),
    ("frontend.timbral_74.conv", "conv2d", "conv", (7, 38, 1, 204)),
    ("frontend.timbral_74.bn", "batch_normalization_1", "bn", 204),
    ("frontend.timbral_77.conv", "conv2d_1", "conv", (7, 67, 1, 204)),
    ("frontend.timbral_77.bn", "batch_normalization_2", "bn", 204),
    ("frontend.temporal_128.conv", "conv2d_2", "conv", (128, 1, 1, 51)),
    ("frontend.temporal_128.bn", "batch_normalization_3", "bn", 51),
    ("frontend.temporal_64.conv", "conv2d_3", "conv", (64, 1, 1, 51)),
    ("frontend.temporal_64.bn", "batch_normalization_4", "bn", 51),
    ("frontend.temporal_32.conv", "conv2d_4", "conv", (32, 1, 1, 51)),
    ("frontend.temporal_32.bn", "batch_normalization_5", "bn", 51),
    ("midend.conv1.conv", "conv2d_5", "conv", (7, 561, 1, 64)),
    ("midend.conv1.bn", "batch_normalization_6", "bn", 64),
    ("midend.conv2.conv", "conv2d_6", "conv", (7, 64, 1, 64)),
    ("midend.conv2.bn", "batch_normalization_7", "bn", 64),
    ("midend.conv3.conv", "conv2d_7", "conv", (7, 64, 1, 64)),
    ("midend.conv3.bn", "batch_normalization_8", "bn", 64),
    ("backend.pool_bn", "batch_normalization_9", "bn", 1506),
    ("backend.dense", "dense", "dense", (1506, 200)),
    ("backend.dense_bn", "batch_normalization_10", "bn", 200),
    ("backend.output", "dense_1", "dense", (200, 50)),
]

MODELS = {
    "MTT": {"checkpoint": "MTT_musicnn", "out": "musicnn-mtt.safetensors"},
    "MSD": {"checkpoint": "MSD_musicnn", "out": "musicnn-msd.safetensors"},
}


def tensor_plan():
    """[(our name, TF variable name, shape)] in file order."""
    plan = []
    for ours, tf_layer, kind, shape in LAYERS:
        if kind == "bn":
            for field in ("gamma", "beta", "moving_mean", "moving_variance"):
                plan.append((f"{ours}.{field}", f"{tf_layer}/{field}", (shape,)))
        else:  # conv / dense: kernel + bias
            plan.append((f"{ours}.weight", f"{tf_layer}/kernel", tuple(shape)))
            plan.append((f"{ours}.bias", f"{tf_layer}/bias", (shape[-1],)))
    return plan


def musicnn_labels(musicnn_dir):
    """MTT_LABELS / MSD_LABELS from musicnn/configuration.py, read without importing the package."""
    ns = {}
    with open(os.path.join(musicnn_dir, "configuration.py")) as f:
        exec(compile(f.read(), "configuration.py", "exec"), ns)  # plain constants only
    return ns


def find_musicnn_dir(arg):
    if arg:
        return os.path.abspath(arg)
    import importlib.util
    spec = importlib.util.find_spec("musicnn")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("musicnn is not installed: run tools/setup-python-tf.sh and use tools/.venv-tf/bin/python")
    return list(spec.submodule_search_locations)[0]


def read_checkpoint(prefix):
    import tensorflow as tf  # only needed to parse the TF checkpoint format
    reader = tf.compat.v1.train.NewCheckpointReader(prefix)
    shapes = reader.get_variable_to_shape_map()
    return reader, shapes


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, float32 ndarray) in file order; metadata: {str: str}."""
    header = {}
    offset = 0
    blobs = []
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        nbytes = arr.nbytes
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + nbytes]}
        blobs.append(arr.tobytes(order="C"))
        offset += nbytes
    header["__metadata__"] = metadata
    raw = json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((-len(raw)) % 8)  # pad the header to an 8-byte boundary (as the reference library does)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def frontend_metadata():
    return {
        "sample_rate": 16000,
        "channels": "mono (librosa.load mono=True: mean of the channels)",
        "resampler": "librosa.load(sr=16000); musicnn-era librosa (0.7) used resampy kaiser_best",
        "stft": {"n_fft": 512, "hop_length": 256, "win_length": 512, "window": "hann (periodic)",
                 "center": True, "pad_mode": "reflect", "power": 2.0},
        "n_fft": 512,
        "hop": 256,
        "n_mels": 96,
        "mel": {"fmin": 0.0, "fmax": 8000.0, "htk": False, "norm": "slaney"},
        "pad_mode": "reflect",
        "pad_mode_note": ("musicnn calls librosa.feature.melspectrogram without pad_mode; librosa < 0.9 "
                          "defaulted to 'reflect' (used for training and by the package), librosa >= 0.9 "
                          "defaults to 'constant'. Pass pad_mode='reflect' explicitly to reproduce."),
        "float16_rounding": True,
        "float16_rounding_note": ("the mel POWER spectrogram is cast to float16 (np.float16, round to "
                                  "nearest even; > 65504 becomes inf), then the log is computed in float32: "
                                  "with numpy < 2 'float16_array * 10000' promotes to float32. Under numpy >= 2 "
                                  "the package's own code would compute the log in float16 instead."),
        "log_compression": "log10(10000*x+1)",
        "layout": "time-major [frames, n_mels]",
        "patch_frames": 187,
        "patch_hop_frames": 187,
        "patching": ("patches start at frames 0, 187, 374, ... while start + 187 <= n_frames "
                     "(no overlap, incomplete tail dropped); n_frames = 1 + n_samples // 256. "
                     "Input shorter than 187 frames (< 47616 samples, ~2.976 s) yields no patch: "
                     "musicnn 0.1.0 then fails (UnboundLocalError in batch_data)."),
        "librosa_reference_version": "0.7.x at training time; fixtures made with librosa 0.11.0 + pad_mode='reflect'",
    }


def read_text(path):
    with open(path) as f:
        return f.read()


def convert(musicnn_dir, dataset, out_dir, license_text):
    info = MODELS[dataset]
    ckpt_dir = os.path.join(musicnn_dir, info["checkpoint"])
    prefix = ckpt_dir + "/"  # musicnn saved with an empty file name: files are '.index', '.data-...'
    reader, shapes = read_checkpoint(prefix)

    tensors = []
    tensor_map = {}
    n_params = 0
    for ours, tf_name, shape in tensor_plan():
        if tf_name not in shapes:
            sys.exit(f"{dataset}: checkpoint has no variable {tf_name}")
        if tuple(shapes[tf_name]) != tuple(shape):
            sys.exit(f"{dataset}: {tf_name} has shape {shapes[tf_name]}, expected {shape}")
        arr = np.asarray(reader.get_tensor(tf_name))
        if arr.dtype != np.float32:
            sys.exit(f"{dataset}: {tf_name} has dtype {arr.dtype}")
        if not np.all(np.isfinite(arr)):
            sys.exit(f"{dataset}: {tf_name} has non-finite values")
        tensors.append((ours, arr))
        tensor_map[ours] = tf_name
        n_params += arr.size
    used = set(tensor_map.values())
    dropped = sorted(k for k in shapes if k not in used)
    unexpected = [k for k in dropped if not (k.endswith("/Adam") or k.endswith("/Adam_1") or k in ("beta1_power", "beta2_power"))]
    if unexpected:
        sys.exit(f"{dataset}: unexpected checkpoint variables not converted: {unexpected}")

    labels = musicnn_labels(musicnn_dir)[f"{dataset}_LABELS"]
    assert len(labels) == 50

    with open(os.path.join(ckpt_dir, "config.json")) as f:
        train_config = json.load(f)
    result_text = read_text(os.path.join(ckpt_dir, "experiment.result")).strip()
    if dataset == "MTT":
        figures = {"test_set": "MagnaTagATune test set", "raw": result_text}
    else:
        figures = {"test_set": "Million Song Dataset test set (as reported by the package; the second "
                               "'AUC' line is PR-AUC by analogy with the MTT file)", "raw": result_text}
    for line in result_text.splitlines():
        if ":" in line:
            key, _, val = line.partition(":")
            try:
                v = float(val)
            except ValueError:
                continue
            key = key.strip()
            if key == "AUC":
                key = "ROC-AUC" if "ROC-AUC" not in figures else "PR-AUC"
            figures[key] = v

    provenance = {
        "package": "musicnn",
        "package_version": MUSICNN_VERSION,
        "package_source": "PyPI wheel musicnn-0.1.0-py3-none-any.whl (upstream github.com/jordipons/musicnn)",
        "author": "Jordi Pons, Music Technology Group, Universitat Pompeu Fabra",
        "checkpoint_path": f"musicnn/{info['checkpoint']}/ (TF1 checkpoint, empty prefix: files .index, .data-00000-of-00001)",
        "checkpoint_data_sha256": sha256_file(os.path.join(ckpt_dir, ".data-00000-of-00001")),
        "checkpoint_index_sha256": sha256_file(os.path.join(ckpt_dir, ".index")),
        "model_builder": "musicnn/models.py build_musicnn(num_filt_midend=64, num_units_backend=200)",
        "training": {k: train_config.get(k) for k in ("n_frames", "pre_processing", "batch_size", "epochs",
                                                      "learning_rate", "optimizer", "weight_decay")},
        "evaluation_reported_by_package": figures,
        "converter": "tools/convert_musicnn.py (optimizer slots dropped; values copied byte for byte)",
    }
    metadata = {
        "format": "soundmap-model",
        "format_version": "1",
        "architecture": "musicnn",
        "dataset": dataset,
        "tags": json.dumps(labels),
        "frontend": json.dumps(frontend_metadata()),
        "bn_epsilon": "0.001",
        "weight_layout": ("TensorFlow native: Conv2D kernel [kh(time), kw(freq or feature), in, out]; "
                          "Dense kernel [in, out]; biases and BatchNorm vectors [C]. float32 little-endian."),
        "output_activation": "sigmoid",
        "embedding": "backend.dense_bn output (200-d, 'penultimate' in musicnn)",
        "n_parameters": str(n_params),
        "tensor_map": json.dumps(tensor_map),
        "doc": "docs/musicnn.md",
        "provenance": json.dumps(provenance),
        "license": license_text,
    }
    out = os.path.join(out_dir, info["out"])
    write_safetensors(out, tensors, metadata)
    return out, n_params, len(tensors)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--musicnn-dir", help="directory of the installed musicnn package (default: import location)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: assets/models)")
    ap.add_argument("--only", choices=sorted(MODELS), help="convert one dataset only")
    args = ap.parse_args()

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    musicnn_dir = find_musicnn_dir(args.musicnn_dir)
    os.makedirs(args.out, exist_ok=True)

    # The ISC notice ships as the wheel's LICENSE.md (dist-info); the source tree calls it LICENSE.md too.
    license_text = None
    site = os.path.dirname(musicnn_dir)
    candidates = [os.path.join(site, f"musicnn-{MUSICNN_VERSION}.dist-info", "LICENSE.md"),
                  os.path.join(musicnn_dir, "LICENSE.md"), os.path.join(site, "LICENSE.md")]
    for c in candidates:
        if os.path.isfile(c):
            license_text = read_text(c).strip() + "\n"
            break
    if license_text is None or "Permission to use, copy, modify" not in license_text:
        sys.exit("cannot find musicnn's ISC licence text (looked in " + ", ".join(candidates) + ")")
    with open(os.path.join(args.out, "MUSICNN-LICENSE.txt"), "w") as f:
        f.write("musicnn " + MUSICNN_VERSION + " (https://github.com/jordipons/musicnn), ISC licence.\n"
                "Applies to the model weights in musicnn-mtt.safetensors and musicnn-msd.safetensors,\n"
                "converted from the checkpoints shipped in the musicnn package.\n\n")
        f.write(license_text)

    for ds in ([args.only] if args.only else ["MTT", "MSD"]):
        path, n_params, n_tensors = convert(musicnn_dir, ds, args.out, license_text)
        print(f"{ds}: {os.path.relpath(path, REPO)}  {n_tensors} tensors, {n_params} parameters, "
              f"{os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
