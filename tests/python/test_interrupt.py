"""Ctrl-C stops Trainer.run cleanly between steps: SIGINT (what a terminal's Ctrl-C and a
notebook's 'interrupt kernel' send) arrives while a step computes without the GIL; the step
finishes, run returns its History with interrupted=True, and the trainer and model go on."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, signal, threading, time
    import numpy as np
    import rrcnn

    model = rrcnn.Model({"preset": "lite", "rollout_steps": 8}, seed=0)
    trainer = rrcnn.Trainer(model, threads=1)
    trainer.step()  # warm up: the data is loaded

    def interrupt():
        time.sleep(0.6)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt).start()
    t0 = time.time()
    history = trainer.run(1_000_000)
    assert history.interrupted, "run did not report the interrupt"
    assert 1 <= len(history) < 1_000_000 and time.time() - t0 < 30
    assert trainer.step_count == len(history) + 1 == model.optimizer_step
    assert history.column("step") == list(range(1, len(history) + 1))
    snapshot = model.flat_params.copy()
    assert np.all(np.isfinite(snapshot))
    record = trainer.step()  # the trainer goes on where it stopped
    assert record["step"] == len(history) + 1

    # An interrupt while the callback runs stops the run the same way.
    def callback(record):
        if record["step"] == trainer.step_count - 1 and len(seen) == 2:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the KeyboardInterrupt is raised in here
        seen.append(record["step"])

    seen = []
    h = trainer.run(50, callback=callback)
    assert h.interrupted and len(h) == 3, (h.interrupted, len(h))
    # A plain KeyboardInterrupt outside run still works as usual afterwards.
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
        raise SystemExit("no KeyboardInterrupt")
    except KeyboardInterrupt:
        pass
    print("OK", len(history))
""")


def test_ctrl_c_stops_between_steps():
    env = dict(os.environ)
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0 and p.stdout.startswith("OK"), p.stdout + p.stderr
