#!/usr/bin/env python3
"""Reference (Python) benchmarks to compare with `soundmap bench <name> --json`.

Usage (from anywhere; tools/setup-python.sh creates the venv):
  tools/.venv/bin/python tools/bench_reference.py decode --dir DIR
  tools/.venv/bin/python tools/bench_reference.py spectrogram [--seconds 600]
  tools/.venv/bin/python tools/bench_reference.py similar [--sizes 10000,100000,1000000] [--dim 512]
  tools/.venv/bin/python tools/bench_reference.py index --dir DIR
Common options: --reps 3 --warmup 1 (each measurement = median of --reps timed runs after --warmup
untimed ones).

stdout: one JSON object per line and per measurement, with at least
  {"bench": ..., "case": ..., "tool": ..., "value": ..., "unit": ...}
(unit "x realtime" = audio seconds per wall second, "ms" = latency, "queries/s"); extra fields
describe the measurement. Progress goes to stderr.

Threads: BLAS / OpenMP pools are limited to 1 thread (threadpoolctl) and FFTs run with 1 worker,
unless the case name says threads=2.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

AUDIO_EXTS = (".flac", ".ogg", ".oga", ".mp3", ".wav", ".aif", ".aiff", ".opus", ".w64", ".caf")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def emit(bench, case, tool, value, unit, **extra):
    rec = {"bench": bench, "case": case, "tool": tool, "value": round(float(value), 4), "unit": unit}
    rec.update(extra)
    print(json.dumps(rec), flush=True)
    log(f"  {bench:<12} {case:<28} {tool:<26} {rec['value']:>12g} {unit}")


def timed(fn, reps, warmup):
    """fn() `warmup` times untimed, then `reps` times timed. Returns (median_s, [times], last result)."""
    res = None
    for _ in range(warmup):
        res = fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), [round(t, 4) for t in times], res


def blas_threads():
    return [p.get("num_threads") for p in threadpool_info() if p.get("user_api") == "blas"]


# --------------------------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------------------------

def audio_files(folder, recursive):
    out = []
    if recursive:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            out += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(AUDIO_EXTS)]
    else:
        out = [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.lower().endswith(AUDIO_EXTS)]
    return out


def decode_mono_22050(path, sf, soxr):
    """soundfile decode to float32 -> mean to mono -> soxr HQ resample to 22050 Hz."""
    data, sr = sf.read(path, dtype="float32", always_2d=True)
    mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
    if sr != 22050:
        mono = soxr.resample(mono, sr, 22050, quality="HQ")
    return mono, data.shape[0] / sr


def cmd_decode(args):
    import soundfile as sf
    import soxr

    files = audio_files(args.dir, recursive=False)
    if not files:
        sys.exit(f"no audio files in {args.dir}")
    for path in files:
        ext = os.path.splitext(path)[1].lstrip(".").lower()
        info = sf.info(path)
        log(f"decode {os.path.basename(path)}: {info.samplerate} Hz, {info.channels} ch, {info.duration:.1f} s")

        def dec():
            return sf.read(path, dtype="float32", always_2d=True)[0]

        med, times, data = timed(dec, args.reps, args.warmup)
        secs = data.shape[0] / info.samplerate
        common = {"file": os.path.basename(path), "audio_seconds": round(secs, 3),
                  "sample_rate": info.samplerate, "channels": info.channels}
        emit("decode", f"{ext},decode-only", "soundfile", secs / med, "x realtime",
             wall_s=round(med, 4), times=times, **common)

        med, times, (mono, secs) = timed(lambda: decode_mono_22050(path, sf, soxr), args.reps, args.warmup)
        emit("decode", ext, "soundfile+soxr", secs / med, "x realtime", wall_s=round(med, 4), times=times,
             out_samples=int(mono.shape[0]), out_rate=22050, **common)


# --------------------------------------------------------------------------------------------
# spectrogram
# --------------------------------------------------------------------------------------------

def synth_signal(sr, seconds, seed=0):
    """Deterministic test signal (same recipe as the project's anchor spectrogram benchmark).

    0.1 * white noise + three log chirps 60 Hz -> 8 kHz (amplitude 0.2 each) that restart every 10 s,
    offset by 0 / 3.3 / 6.6 s, + 0.1 * a 440 Hz sine; peak-normalised to 0.9, float32.
    """
    rng = np.random.default_rng(seed)
    n = int(sr * seconds)
    t = np.arange(n, dtype=np.float64) / sr
    x = 0.1 * rng.standard_normal(n)
    period, f0, f1 = 10.0, 60.0, 8000.0
    k = np.log(f1 / f0) / period
    for i, offset in enumerate((0.0, 3.3, 6.6)):
        tt = np.mod(t + offset, period)
        x += 0.2 * np.sin(2 * np.pi * f0 * (np.exp(k * tt) - 1) / k + i)
    x += 0.1 * np.sin(2 * np.pi * 440.0 * t)
    return (x / np.max(np.abs(x)) * 0.9).astype(np.float32)


def frames_view(y, n_fft, hop):
    """Centred frames (zero padding n_fft // 2 on both sides) as a strided view [frames, n_fft]."""
    yp = np.pad(y, n_fft // 2, mode="constant")
    n_frames = 1 + (len(yp) - n_fft) // hop
    return np.lib.stride_tricks.as_strided(yp, shape=(n_frames, n_fft), strides=(yp.strides[0] * hop, yp.strides[0]))


def cmd_spectrogram(args):
    import librosa
    import scipy.fft
    import scipy.signal

    sr, n_fft, hop, n_mels = 22050, 1024, 256, 96
    log(f"spectrogram: synthesising {args.seconds:g} s at {sr} Hz")
    y = synth_signal(sr, args.seconds)
    secs = len(y) / sr
    melfb = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels).astype(np.float32)   # [96, 513]
    window = scipy.signal.get_window("hann", n_fft, fftbins=True).astype(np.float32)
    params = {"audio_seconds": round(secs, 3), "sample_rate": sr, "n_fft": n_fft, "hop_length": hop,
              "n_mels": n_mels, "power": 2.0, "log": "ln(S + 1e-6)"}

    def lib_mel():
        S = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels, power=2.0)
        return np.log(S + 1e-6)

    def rfft_mel(workers):
        def f():
            fr = frames_view(y, n_fft, hop) * window
            Z = scipy.fft.rfft(fr, axis=1, workers=workers)
            P = Z.real ** 2 + Z.imag ** 2
            return np.log(P @ melfb.T + 1e-6)            # time-major [frames, 96]
        return f

    runs = [("logmel,threads=1", "librosa", 1, lib_mel),
            ("logmel,threads=1", "scipy.fft", 1, rfft_mel(1)),
            ("logmel,threads=2", "scipy.fft", 2, rfft_mel(2))]
    for case, tool, threads, fn in runs:
        with threadpool_limits(threads, user_api="blas"):
            med, times, S = timed(fn, args.reps, args.warmup)
        frames = int(max(S.shape)) if tool == "librosa" else int(S.shape[0])
        emit("spectrogram", case, tool, secs / med, "x realtime", wall_s=round(med, 4), times=times,
             threads=threads, frames=frames, **params)


# --------------------------------------------------------------------------------------------
# similar
# --------------------------------------------------------------------------------------------

def random_unit_rows(rng, n, dim, chunk=65536):
    X = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, chunk):
        blk = rng.standard_normal((min(chunk, n - s), dim), dtype=np.float32)
        blk /= np.linalg.norm(blk, axis=1, keepdims=True)
        X[s:s + blk.shape[0]] = blk
    return X


def top_k(scores, k):
    """Indices of the k largest scores, best first (argpartition + sort of the k)."""
    n = scores.shape[0]
    idx = np.argpartition(scores, n - k)[n - k:]
    return idx[np.argsort(-scores[idx], kind="stable")]


def top_k_rows(S, k, out):
    n = S.shape[1]
    idx = np.argpartition(S, n - k, axis=1)[:, n - k:]
    vals = np.take_along_axis(S, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    out[:] = np.take_along_axis(idx, order, axis=1)


def cmd_similar(args):
    sizes = [int(s) for s in args.sizes.split(",") if s]
    threads_list = [int(t) for t in args.threads.split(",") if t]
    rng = np.random.default_rng(42)
    k, dim = args.k, args.dim
    for n in sizes:
        log(f"similar: generating {n} x {dim} float32 unit rows ({n * dim * 4 / 2**20:.0f} MiB)")
        X = random_unit_rows(rng, n, dim)
        Q1 = random_unit_rows(rng, args.queries, dim)
        QB = random_unit_rows(rng, args.batch, dim)
        for threads in threads_list:
            with threadpool_limits(threads, user_api="blas"):
                for q in Q1[:3]:                                    # warm-up
                    top_k(X @ q, k)
                lat = []
                for q in Q1:
                    t0 = time.perf_counter()
                    top_k(X @ q, k)
                    lat.append((time.perf_counter() - t0) * 1e3)
                lat.sort()
                emit("similar", f"N={n},threads={threads}", "numpy", statistics.median(lat), "ms",
                     n=n, dim=dim, k=k, queries=len(lat), min_ms=round(lat[0], 4),
                     p90_ms=round(lat[int(0.9 * (len(lat) - 1))], 4), blas_threads=blas_threads())

                block = max(1, min(args.batch, (512 << 20) // (4 * n)))   # score block <= 512 MiB
                out = np.empty((args.batch, k), dtype=np.int64)

                def batch():
                    for s in range(0, args.batch, block):
                        S = QB[s:s + block] @ X.T                           # [block, n]
                        top_k_rows(S, k, out[s:s + block])
                    return out

                med, times, _ = timed(batch, args.reps, args.warmup)
                emit("similar", f"N={n},threads={threads},batch={args.batch}", "numpy", args.batch / med,
                     "queries/s", n=n, dim=dim, k=k, wall_s=round(med, 4), times=times, query_block=block,
                     blas_threads=blas_threads())
        del X


# --------------------------------------------------------------------------------------------
# index
# --------------------------------------------------------------------------------------------

def cmd_index(args):
    import librosa
    import soundfile as sf
    import soxr

    files = audio_files(args.dir, recursive=True)
    if not files:
        sys.exit(f"no audio files under {args.dir}")
    log(f"index: {len(files)} files under {args.dir}")
    sr, n_fft, hop, n_mels = 22050, 1024, 256, 96

    def features(path):
        y, secs = decode_mono_22050(path, sf, soxr)
        S = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels, power=2.0)
        L = np.log(S + 1e-6)                                     # [96, frames]
        D = np.diff(L, axis=1) if L.shape[1] > 1 else np.zeros_like(L)
        return np.concatenate([L.mean(axis=1), L.std(axis=1), D.mean(axis=1), D.std(axis=1)]), secs

    def run():
        # Like Soundmap, a file that cannot be decoded is skipped, not fatal.
        feats, total, skipped = [], 0.0, 0
        for path in files:
            try:
                f, secs = features(path)
            except Exception as error:  # noqa: BLE001 - any decoder failure
                log(f"index: skipped {path}: {error}")
                skipped += 1
                continue
            feats.append(f)
            total += secs
        return np.stack(feats), total, skipped

    med, times, (F, total, skipped) = timed(run, args.reps, args.warmup)
    emit("index", "baseline", "python baseline pipeline", total / med, "x realtime", files=len(files), skipped=skipped,
         audio_seconds=round(total, 3), wall_s=round(med, 4), times=times, feature_dim=int(F.shape[1]),
         pipeline="soundfile -> mono -> soxr HQ 22050 -> librosa mel(1024/256/96) -> ln(S+1e-6) -> "
                  "mean,std of log-mel and of its first difference")


# --------------------------------------------------------------------------------------------

def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--reps", type=int, default=3, help="timed runs per measurement (median)")
    common.add_argument("--warmup", type=int, default=1, help="untimed runs before timing")
    ap = argparse.ArgumentParser(description="Reference benchmarks (JSON lines on stdout).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("decode", parents=[common], help="decode (+ mono + soxr to 22050) every audio file in DIR")
    p.add_argument("--dir", required=True)
    p.set_defaults(fn=cmd_decode)
    p = sub.add_parser("spectrogram", parents=[common], help="log-mel of a synthetic signal")
    p.add_argument("--seconds", type=float, default=600.0)
    p.set_defaults(fn=cmd_spectrogram)
    p = sub.add_parser("similar", parents=[common], help="brute-force cosine top-k")
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--queries", type=int, default=20, help="single queries timed (median latency)")
    p.add_argument("--batch", type=int, default=1000, help="queries in the batch measurement")
    p.add_argument("--threads", default="1,2", help="BLAS thread counts to measure")
    p.set_defaults(fn=cmd_similar)
    p = sub.add_parser("index", parents=[common], help="sequential Python indexing pipeline over DIR")
    p.add_argument("--dir", required=True)
    p.set_defaults(fn=cmd_index)
    args = ap.parse_args()
    # Everything single-threaded unless a case raises the limit explicitly.
    with threadpool_limits(1):
        args.fn(args)


if __name__ == "__main__":
    main()
