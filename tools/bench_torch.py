#!/usr/bin/env python3
"""PyTorch CPU reference for `soundmap bench model --json` (CNN encoders, inference and training).

Usage (tools/setup-python-torch.sh creates the venv):
  tools/.venv-torch/bin/python tools/bench_torch.py [--cases sgemm,spec2d,samplecnn] [--reps 3]
      [--target-s 2] [--layer-target-s 1] [--threads 2]

stdout: one JSON object per line and per measurement, in the format of tools/bench_reference.py:
  {"bench": "model", "case": ..., "tool": "pytorch" | "pytorch-channels-last", "value": ..., "unit": ...}
Progress goes to stderr. tools/bench_compare.py joins these lines with Soundmap's.

Cases (the Swift side prints the same names with tool "soundmap"):
  sgemm,2048                     GFLOP/s      torch.mm 2048x2048x2048 (the BLAS torch links)
  sgemm,conv                     GFLOP/s      torch.mm M=128 K=1152 N=24576 (conv-shaped)
  spec2d,infer,batch=32          examples/s   5-block 2-D CNN on 1x96x256, eval, inference_mode
  spec2d,layer=N,infer,batch=32  GFLOP/s      conv N (1..5) of that CNN alone, on its real input shape
  spec2d,train,pairs=32          examples/s   SimCLR step, 64 examples (two views of 32)
  samplecnn,infer,batch=32       examples/s   CLMR SampleCNN on 59,049 samples
  samplecnn,train,pairs=8        examples/s   SimCLR step, 16 examples
spec2d cases run in NCHW (tool "pytorch") and channels_last / NHWC (tool "pytorch-channels-last").

Model cases also carry "gflops" = FLOP per example x examples/s / 1e9, where FLOP = 2 x MACs of the
conv and linear layers counted from the real output shapes with forward hooks (BatchNorm, ReLU,
pooling, the loss and the optimizer are not counted). Inference counts the encoder's forward pass;
training counts 3 x the forward pass of encoder + projector (forward, gradient w.r.t. the input,
gradient w.r.t. the weights), as the anchors did.

Timing: two untimed calls (warm-up; the second one sizes the loop so that one timing lasts about
--target-s seconds), then --reps timed loops; the value is the median. torch.set_num_threads(--threads).
Inputs are random tensors (no data loading or augmentation inside the timings).
"""
import argparse
import copy
import json
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BENCH = "model"
NCHW, NHWC = "pytorch", "pytorch-channels-last"
CONV = (nn.Conv1d, nn.Conv2d)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def load():
    return [round(x, 2) for x in os.getloadavg()]


def cpu_id():
    """'family F model M' from /proc/cpuinfo (26 = AMD Zen 5, 25 = Zen 3/4), or None."""
    try:
        with open("/proc/cpuinfo") as f:
            first = f.read().split("\n\n")[0]
        info = {k.strip(): v.strip() for k, v in (l.split(":", 1) for l in first.splitlines() if ":" in l)}
        return f"family {info['cpu family']} model {info['model']}"
    except (OSError, KeyError, ValueError):
        return None


ENV = {}


def emit(case, tool, value, unit, **extra):
    rec = {"bench": BENCH, "case": case, "tool": tool, "value": round(float(value), 4), "unit": unit}
    rec.update(extra)
    rec.update(ENV)
    print(json.dumps(rec), flush=True)
    log(f"  {case:<32} {tool:<22} {rec['value']:>10g} {unit:<10} "
        + (f"{extra['gflops']:g} GFLOP/s  " if "gflops" in extra else "")
        + f"load {extra.get('load_end')}")


def measure(fn, reps, target_s):
    """fn() twice untimed (warm-up + sizing), then `reps` timed loops of `iters` calls.

    Returns (median seconds per loop, [loop times], iters, last result)."""
    fn()
    t0 = time.perf_counter()
    res = fn()
    one = time.perf_counter() - t0
    iters = max(1, int(round(target_s / max(one, 1e-9))))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            res = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), [round(t, 4) for t in times], iters, res


# --------------------------------------------------------------------------------------------
# models (the anchors' definitions)
# --------------------------------------------------------------------------------------------

class Spec2D(nn.Module):
    """5 x [Conv2d 3x3 pad 1 no bias, BatchNorm2d, ReLU, MaxPool2d 2] -> global average pool -> 512."""

    def __init__(self):
        super().__init__()
        ch = [1, 32, 64, 128, 256, 512]
        layers = []
        for cin, cout in zip(ch[:-1], ch[1:]):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


class SampleCNN(nn.Module):
    """CLMR SampleCNN on 59,049 samples -> 512."""

    def __init__(self):
        super().__init__()
        blocks = [nn.Sequential(nn.Conv1d(1, 128, 3, stride=3), nn.BatchNorm1d(128), nn.ReLU())]
        ch = [128, 128, 128, 256, 256, 256, 256, 256, 256, 512]
        for cin, cout in zip(ch[:-1], ch[1:]):
            blocks.append(nn.Sequential(nn.Conv1d(cin, cout, 3, padding=1), nn.BatchNorm1d(cout), nn.ReLU(),
                                        nn.MaxPool1d(3, stride=3)))
        blocks.append(nn.Sequential(nn.Conv1d(512, 512, 3, padding=1), nn.BatchNorm1d(512), nn.ReLU()))
        self.sequential = nn.Sequential(*blocks)

    def forward(self, x):
        return self.sequential(x).reshape(x.shape[0], -1)


def projector():
    return nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 128))


def nt_xent(z, tau=0.1):
    """SimCLR loss; rows i and i + n of z are the two views of example i."""
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def layer_macs(model, x):
    """[(module, input shape, output shape, MACs per example)] of the conv/linear layers, in call order."""
    rows = []

    def hook(mod, inp, out):
        per_out = (mod.in_channels // mod.groups) if isinstance(mod, CONV) else mod.in_features
        if isinstance(mod, CONV):
            for k in mod.kernel_size:
                per_out *= k
        rows.append((mod, tuple(inp[0].shape[1:]), tuple(out.shape[1:]), out.numel() // out.shape[0] * per_out))

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, CONV + (nn.Linear,))]
    was_training = model.training
    with torch.no_grad():
        model.eval()(x[:1])
    model.train(was_training)
    for h in hs:
        h.remove()
    return rows


def flop_per_example(model, x):
    return 2 * sum(r[3] for r in layer_macs(model, x))


# --------------------------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------------------------

def bench_sgemm(args):
    for case, (m, k, n) in (("sgemm,2048", (2048, 2048, 2048)), ("sgemm,conv", (128, 1152, 24576))):
        a, b = torch.randn(m, k), torch.randn(k, n)
        c = torch.empty(m, n)
        l0 = load()
        with torch.inference_mode():
            med, times, iters, _ = measure(lambda: torch.mm(a, b, out=c), args.reps, args.layer_target_s)
        emit(case, NCHW, 2.0 * m * n * k * iters / med / 1e9, "GFLOP/s", m=m, k=k, n=n,
             iters_per_timing=iters, wall_s=round(med, 4), times=times,
             best=round(2.0 * m * n * k * iters / min(times) / 1e9, 2), load_start=l0, load_end=load())


def bench_infer(args, name, model, x, fwd_flop, tool):
    model = model.eval()
    if tool == NHWC:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    l0 = load()
    with torch.inference_mode():
        med, times, iters, out = measure(lambda: model(x), args.reps, args.target_s)
    assert out.shape == (x.shape[0], 512), out.shape
    eps = x.shape[0] * iters / med
    emit(f"{name},infer,batch={x.shape[0]}", tool, eps, "examples/s", gflops=round(eps * fwd_flop / 1e9, 2),
         gflop_per_example=round(fwd_flop / 1e9, 4), flop_count="encoder forward",
         batch=x.shape[0], iters_per_timing=iters, wall_s=round(med, 4), times=times,
         best=round(x.shape[0] * iters / min(times), 2), input_shape=list(x.shape[1:]),
         load_start=l0, load_end=load())


def bench_layers(args, model, x):
    """Each conv of the spec2d encoder alone, on the input shape it sees in the model, NCHW and NHWC."""
    batch = x.shape[0]
    convs = [r for r in layer_macs(model, x) if isinstance(r[0], nn.Conv2d)]
    for i, (conv, in_shape, out_shape, macs) in enumerate(convs, 1):
        for tool in (NCHW, NHWC):
            c = copy.deepcopy(conv).eval()
            xi = torch.randn(batch, *in_shape)
            if tool == NHWC:
                c = c.to(memory_format=torch.channels_last)
                xi = xi.contiguous(memory_format=torch.channels_last)
            l0 = load()
            with torch.inference_mode():
                med, times, iters, out = measure(lambda: c(xi), args.reps, args.layer_target_s)
            assert tuple(out.shape[1:]) == out_shape, (out.shape, out_shape)
            flop = 2.0 * macs * batch * iters
            emit(f"spec2d,layer={i},infer,batch={batch}", tool, flop / med / 1e9, "GFLOP/s",
                 layer=f"Conv2d({conv.in_channels}->{conv.out_channels}, 3x3, pad 1)",
                 in_shape=list(in_shape), out_shape=list(out_shape), mflop_per_example=round(2 * macs / 1e6, 2),
                 iters_per_timing=iters, wall_s=round(med, 4), times=times,
                 best=round(flop / min(times) / 1e9, 2), load_start=l0, load_end=load())


def bench_train(args, name, enc, x, train_flop, tool):
    """SimCLR step on x (2 * pairs examples: view 1 then view 2): zero_grad + forward + backward + Adam."""
    enc = copy.deepcopy(enc).train()
    proj = projector().train()
    if tool == NHWC:
        enc = enc.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.Adam(list(enc.parameters()) + list(proj.parameters()), lr=3e-4)
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nt_xent(proj(enc(x)))
        loss.backward()
        opt.step()
        losses.append(loss.item())

    l0 = load()
    med, times, iters, _ = measure(step, args.reps, args.target_s)
    assert all(l == l for l in losses), "NaN loss"
    n = x.shape[0]
    eps = n * iters / med
    emit(f"{name},train,pairs={n // 2}", tool, eps, "examples/s", gflops=round(eps * train_flop / 1e9, 2),
         gflop_per_example=round(train_flop / 1e9, 4),
         flop_count="3 x forward of encoder + projector", examples_per_step=n, steps_per_timing=iters,
         step_s=round(med / iters, 4), wall_s=round(med, 4), times=times, best=round(n * iters / min(times), 2),
         loss_first_last=[round(losses[0], 4), round(losses[-1], 4)], optimizer="Adam lr 3e-4",
         loss="NT-Xent tau 0.1", input_shape=list(x.shape[1:]), load_start=l0, load_end=load())


def bench_model(args, name):
    torch.manual_seed(0)
    if name == "spec2d":
        enc, shape, infer_batch, pairs, tools = Spec2D(), (1, 96, 256), 32, 32, (NCHW, NHWC)
    else:
        enc, shape, infer_batch, pairs, tools = SampleCNN(), (1, 59049), 32, 8, (NCHW,)
    x = torch.randn(infer_batch, *shape)
    fwd = flop_per_example(enc, x)
    train = 3 * (fwd + flop_per_example(projector(), torch.randn(1, 512)))
    log(f"{name}: {fwd / 1e9:.4f} GFLOP/example forward, {sum(p.numel() for p in enc.parameters()):,} parameters")
    for tool in tools:
        bench_infer(args, name, copy.deepcopy(enc), x, fwd, tool)
    if name == "spec2d" and not args.no_layers:
        bench_layers(args, enc, x)
    xt = torch.randn(2 * pairs, *shape)
    for tool in tools:
        bench_train(args, name, enc, xt, train, tool)


def main():
    ap = argparse.ArgumentParser(description="PyTorch CPU CNN benchmarks (JSON lines on stdout).")
    ap.add_argument("--cases", default="sgemm,spec2d,samplecnn",
                    help="comma-separated groups among sgemm, spec2d, samplecnn (default: all)")
    ap.add_argument("--reps", type=int, default=3, help="timed loops per measurement (median)")
    ap.add_argument("--target-s", type=float, default=2.0, help="seconds per timed loop, model cases")
    ap.add_argument("--layer-target-s", type=float, default=1.0, help="seconds per timed loop, layers and sgemm")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--no-layers", action="store_true", help="skip the per-layer spec2d cases")
    args = ap.parse_args()
    groups = [g.strip() for g in args.cases.split(",") if g.strip()]
    unknown = [g for g in groups if g not in ("sgemm", "spec2d", "samplecnn")]
    if unknown:
        ap.error(f"unknown case group(s): {', '.join(unknown)} (known: sgemm, spec2d, samplecnn)")

    torch.set_num_threads(args.threads)
    blas = (re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show()) or [None])[0]
    ENV.update({"torch": torch.__version__, "threads": torch.get_num_threads(),
                "cpu_capability": torch.backends.cpu.get_cpu_capability(),
                "mkldnn": torch.backends.mkldnn.is_available(), "blas": blas, "cpu": cpu_id()})
    log(f"bench_torch: torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"{ENV['cpu_capability']}, CPU {ENV['cpu']}, oneDNN {ENV['mkldnn']}, BLAS {blas}; load average {load()}")
    t0 = time.perf_counter()
    for g in groups:
        if g == "sgemm":
            bench_sgemm(args)
        else:
            bench_model(args, g)
    log(f"bench_torch: done in {time.perf_counter() - t0:.0f} s; load average {load()}")


if __name__ == "__main__":
    main()
