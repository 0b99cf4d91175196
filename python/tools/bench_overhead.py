"""What calling the engine from Python costs: `rrcnn bench` against the same work through the
`rrcnn` module, in alternating rounds, medians reported (docs/benchmarks.md, "Python").

  PYTHONPATH=build/python python3 python/tools/bench_overhead.py --cli build/app/rrcnn [--rounds 5]
      [--seconds 3] [--threads 2] [--json out.json]

Per round: `rrcnn bench --backend cpu --threads T --large 8 --peak-size 0` (its rollout_8 and
train entries), then in this process the same model (init seed 0, last layer set as the bench
sets it) and the same inputs:
  - sim_rollout_8: Simulation.step(8) on 8 digits, the bench's own loop (a live batch continued);
  - rollout_8_calls: model.rollout(states, 8) per call, from numpy states to numpy states (the
    states go in and out, and the perception is recomputed from the loaded state every call);
  - train: Trainer.step() (batch 8, 64 steps: drawing the batch, the step, the model's copy).
  - sim_step0_us, rollout0_us: microseconds per call of Simulation.step(0) and of
    model.rollout(states, 0) (argument conversion, GIL release, the state's copies in and out):
    the fixed cost of a call, which the machine's load hardly moves.
Timing as the bench's: one warm-up call, then calls until --seconds passed (at least 2).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np

import rrcnn


def measure(fn, seconds, steps_per_call):
    fn()
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= seconds and n >= 2:
            return n * steps_per_call / dt


def bench_model():
    """The model `rrcnn bench` runs: init_params(seed 0), last layer 1e-3 * (i % 13 - 6)."""
    model = rrcnn.Model("seed", seed=0)
    w = model.params["update.layers.2.kernel"]
    w[...] = (1e-3 * ((np.arange(w.size) % 13) - 6)).reshape(w.shape)
    return model


def python_round(model, seconds, threads):
    noisy = rrcnn.noisy(np.full((8, 28, 28), 0.5, np.float32), 0.5, seed=0)
    sim = model.simulate(noisy, seed=0, backend="cpu", threads=threads)
    out = {"sim_rollout_8": measure(lambda: sim.step(8), seconds, 8)}
    state = [model.rollout(noisy, 0, backend="cpu")]

    def call():
        state[0] = model.rollout(state[0], 8, seed=0, backend="cpu", threads=threads)

    out["rollout_8_calls"] = measure(call, seconds, 8)
    # The fixed cost of a call, from calls that compute nothing (microseconds per call).
    out["sim_step0_us"] = 1e6 / measure(lambda: sim.step(0), min(seconds, 0.5), 1)
    out["rollout0_us"] = 1e6 / measure(lambda: model.rollout(state[0], 0, backend="cpu"), min(seconds, 0.5), 1)
    trainer = rrcnn.Trainer(rrcnn.Model("seed", seed=0), backend="cpu", threads=threads)
    trainer.model.params["update.layers.2.kernel"] = model.params["update.layers.2.kernel"]
    out["train"] = measure(trainer.step, seconds, 1)
    return out


def cli_round(cli, seconds, threads):
    p = subprocess.run([cli, "bench", "--backend", "cpu", "--threads", str(threads), "--seconds", str(seconds),
                        "--large", "8", "--peak-size", "0"], capture_output=True, text=True, check=True)
    j = json.loads(p.stdout)
    return {"rollout_8": j["rollout_8"]["steps_per_s"], "train": j["train"]["steps_per_s"], "device": j["device"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/app/rrcnn")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    model = bench_model()
    rounds = []
    for r in range(args.rounds):
        c = cli_round(args.cli, args.seconds, args.threads)
        p = python_round(model, args.seconds, args.threads)
        rounds.append({"cli": c, "python": p})
        print(f"round {r + 1}: cli rollout_8 {c['rollout_8']:.2f} train {c['train']:.4f} | python sim {p['sim_rollout_8']:.2f} "
              f"calls {p['rollout_8_calls']:.2f} train {p['train']:.4f}", file=sys.stderr, flush=True)

    def med(side, key):
        return statistics.median(r[side][key] for r in rounds)

    summary = {
        "device": rounds[0]["cli"]["device"], "threads": args.threads, "rounds": args.rounds, "seconds": args.seconds,
        "cli_rollout_8": med("cli", "rollout_8"), "cli_train": med("cli", "train"),
        "python_sim_rollout_8": med("python", "sim_rollout_8"),
        "python_rollout_8_calls": med("python", "rollout_8_calls"),
        "python_train": med("python", "train"),
        "python_sim_step0_us": med("python", "sim_step0_us"),
        "python_rollout0_us": med("python", "rollout0_us"),
    }
    # Cost of calling from Python: time per step through the module over the CLI's, minus 1.
    summary["overhead_sim_rollout_8"] = summary["cli_rollout_8"] / summary["python_sim_rollout_8"] - 1
    summary["overhead_rollout_8_calls"] = summary["cli_rollout_8"] / summary["python_rollout_8_calls"] - 1
    summary["overhead_train"] = summary["cli_train"] / summary["python_train"] - 1
    summary["per_round"] = rounds
    print(json.dumps(summary, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
