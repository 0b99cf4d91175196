#!/usr/bin/env python3
"""CTest peers_cpu: the side-by-side tools work, on the CPU, in the shapes gpu_check.sh relies on.

- `rrcnn bench` (lite, short) -> tools/peers/side_by_side.py prints its table; bad input fails
  with one line;
- tools/peers/bench_torch.py --device cpu prints the JSON of `rrcnn bench` (every measure and
  every field of a measure that ours has), side_by_side.py puts it beside ours with a ratio;
  --graphs without --device cuda and --device cuda without a GPU stop with one line.
Skipped (77) after the first part when no Python here has torch (Debian: python3-torch).
Usage: test_peers.py RRCNN_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def python_with_torch():
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and run([py, "-c", "import torch"]).returncode == 0:
            return py
    return None


def main(argv):
    rrcnn = argv[1]
    tmp = tempfile.mkdtemp(prefix="rrcnn-peers-")
    ours_path = os.path.join(tmp, "ours.json")
    r = run([rrcnn, "bench", "--backend", "cpu", "--preset", "lite", "--seconds", "0", "--large", "2",
             "--peak-size", "64"])
    check(r.returncode == 0, f"rrcnn bench --preset lite (rc {r.returncode}) {r.stderr.strip()[-200:]}")
    if r.returncode != 0:
        return 1
    open(ours_path, "w").write(r.stdout)
    ours = json.loads(r.stdout)
    side = [sys.executable, os.path.join(HERE, "side_by_side.py")]
    r = run(side + [ours_path, ours_path])
    check(r.returncode == 0 and "rollout 8 digits" in r.stdout and "1.00x" in r.stdout,
          "side_by_side.py: ours beside itself, ratio 1.00x")
    bad = os.path.join(tmp, "bad.json")
    open(bad, "w").write("{\"not\": \"a bench\"}")
    r = run(side + [ours_path, bad])
    check(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and bad in r.stderr,
          "side_by_side.py: a file that is no benchmark's JSON fails with one line naming it")

    py = python_with_torch()
    if not py:
        print("peers_cpu: bench_torch.py not checked: no python3 here has torch (apt install python3-torch)")
        return 1 if failures else 77
    bench = [py, os.path.join(HERE, "bench_torch.py")]
    r = run(bench + ["--device", "cpu", "--preset", "lite", "--seconds", "0", "--large", "2",
                     "--peak-size", "0", "--threads", "1"])
    check(r.returncode == 0, f"bench_torch.py --device cpu (rc {r.returncode}) {r.stderr.strip()[-200:]}")
    if r.returncode == 0:
        torch_path = os.path.join(tmp, "torch.json")
        open(torch_path, "w").write(r.stdout)
        t = json.loads(r.stdout)
        check(t.get("backend") == "torch-cpu", "bench_torch.py: backend torch-cpu")
        for key in ("rollout_8", "rollout_large", "train"):
            missing = sorted(set(ours[key]) - set(t.get(key, {})))
            check(key in t and not missing, f"bench_torch.py: {key} has every field of rrcnn bench's "
                  f"{'' if not missing else '(missing ' + ', '.join(missing) + ')'}")
        check(t.get("rollout_large_digits") == 2 and t.get("train_batch") == ours.get("train_batch"),
              "bench_torch.py: rollout_large_digits and train_batch as asked / as ours")
        r = run(side + [ours_path, torch_path])
        check(r.returncode == 0 and "torch-cpu" in r.stdout and "x)" in r.stdout,
              "side_by_side.py: ours beside torch-cpu with ratios")
    r = run(bench + ["--graphs"])
    check(r.returncode == 2 and "--graphs needs --device cuda" in r.stderr,
          "bench_torch.py --graphs without --device cuda: one line, exit 2")
    has_cuda = run([py, "-c", "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)"]).returncode == 0
    if not has_cuda:
        r = run(bench + ["--device", "cuda"])
        check(r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1 and "no CUDA device" in r.stderr,
              "bench_torch.py --device cuda without a GPU: one line, non-zero exit")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
