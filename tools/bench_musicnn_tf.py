#!/usr/bin/env python3
"""musicnn's network in the ORIGINAL TensorFlow graph, timed on the same audio as
`soundmap bench musicnn --dir DIR` (runs in tools/.venv-tf; see tools/setup-python-tf.sh).

Every audio file under DIR is loaded at 16 kHz and cut into musicnn's 187-frame log-mel patches
(tools/musicnn_numpy_reference.py: the documented front end); the network alone is then timed
over all patches in batches, as × real time (audio seconds the patches cover per wall second).
Prints one JSON line per measurement in the format of tools/bench_reference.py.
"""
import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import musicnn_numpy_reference as ref  # noqa: E402
from bench_reference import emit, log, timed  # noqa: E402

import musicnn  # noqa: E402
from musicnn import configuration as mconfig  # noqa: E402
from musicnn import models as mmodels  # noqa: E402

tf.compat.v1.disable_v2_behavior()
AUDIO = (".wav", ".flac", ".ogg", ".oga", ".mp3", ".aiff", ".aif", ".opus")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--batches", default="8,32", help="patches per session.run, comma separated")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()

    files = sorted(os.path.join(root, name) for root, _, names in os.walk(args.dir) for name in names
                   if name.lower().endswith(AUDIO) and not name.startswith("."))
    patches = []
    for path in files:
        y, _ = librosa.load(path, sr=16000, mono=True)
        patches.append(ref.patches(ref.log_mel(y)))
    X = np.concatenate([p for p in patches if len(p)]).astype(np.float32)
    seconds = X.shape[0] * 187 * 256 / 16000
    log(f"musicnn-tf: {len(files)} files, {X.shape[0]} patches ({seconds:.0f} s of audio)")

    config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=args.threads, inter_op_parallelism_threads=1)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, None, mconfig.N_MELS])
        training = tf.compat.v1.placeholder(tf.bool)
        outputs = mmodels.define_model(x, training, "MTT_musicnn", 50)
        probabilities = tf.nn.sigmoid(outputs[0])
        session = tf.compat.v1.Session(graph=graph, config=config)
        session.run(tf.compat.v1.global_variables_initializer())
        tf.compat.v1.train.Saver().restore(session, os.path.join(os.path.dirname(musicnn.__file__), "MTT_musicnn") + "/")

    fastest = 0.0
    for batch in (int(b) for b in args.batches.split(",")):
        def run():
            for start in range(0, len(X), batch):
                session.run([probabilities, outputs[-1]], feed_dict={x: X[start:start + batch], training: False})

        median, times, _ = timed(run, args.reps, args.warmup)
        emit("musicnn", f"network,batch={batch}" + (",one core" if args.threads == 1 else ""), "tensorflow",
             seconds / median, "x realtime",
             patches=int(X.shape[0]), audio_seconds=round(seconds, 1), tensorflow=tf.__version__, times=times)
        fastest = max(fastest, seconds / median)
    if args.threads == 2:
        # Beside Soundmap's fastest way of using both cores.
        emit("musicnn", "network,both cores,fastest", "tensorflow", fastest, "x realtime")


if __name__ == "__main__":
    main()
