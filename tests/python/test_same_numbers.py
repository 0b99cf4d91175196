"""The same numbers as the CLI: Python rollouts against `rrcnn render` (PNG and GIF, byte for
byte) and `rrcnn eval` (its JSON, to the digits it prints), Python training steps against
`rrcnn train` (log lines, and the weights and sample pool bit for bit), the eval parts against
`rrcnn eval --json`. Both sides run on the CPU backend with the same thread count."""

import json
import os

import numpy as np
import pytest

from conftest import THREADS, rrcnn

RUN = dict(backend="cpu", threads=THREADS)
CLI_RUN = ["--backend", "cpu", "--threads", str(THREADS)]


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name", ["pool", "seed"])
def test_render_png_matches_cli(cli, asset, tmp_path, test_digits, name):
    out = tmp_path / "cli.png"
    cli("render", "--ckpt", asset(f"rrcnn-{name}.safetensors"), "--out", out, "--steps", 24, "--seed", 5,
        "--first", 3, *CLI_RUN)
    model = rrcnn.Model.pretrained(name)
    clean = test_digits[0][3:11]
    noisy = rrcnn.noisy(clean, alpha=None, seed=5, episode=0)  # render: random level per digit
    states = model.rollout(noisy, 24, seed=5, **RUN)
    rrcnn.write_png(str(tmp_path / "py.png"), rrcnn.picture([noisy, states, clean], scale=4))
    assert read_bytes(tmp_path / "py.png") == read_bytes(out)


def test_render_gif_every_step_matches_cli(cli, asset, tmp_path, test_digits):
    out = tmp_path / "cli.gif"
    cli("render", "--ckpt", asset("rrcnn-pool.safetensors"), "--out", out, "--steps", 12, "--seed", 7,
        "--alpha", 0.6, "--digits", 4, "--dropout", 0.3, *CLI_RUN)
    model = rrcnn.Model.pretrained("pool")
    clean = test_digits[0][:4]
    noisy = rrcnn.noisy(clean, alpha=0.6, seed=7)
    _, traj = model.rollout(noisy, 12, seed=7, dropout=0.3, record_every=1, **RUN)
    frames = np.stack([rrcnn.picture([noisy, traj[t], clean]) for t in range(13)])
    rrcnn.write_gif(str(tmp_path / "py.gif"), frames, delay=5)
    assert read_bytes(tmp_path / "py.gif") == read_bytes(out)


def test_eval_matches_cli(cli, asset, test_digits):
    ckpt = asset("rrcnn-seed.safetensors")
    p = cli("eval", "--ckpt", ckpt, "--json", "--count", 16, "--batch", 8, "--steps", 10, "--alphas", "0.25,-1",
            *CLI_RUN)
    levels = json.loads(p.stdout)["levels"]
    model = rrcnn.Model.load(ckpt)
    clean_all = test_digits[0]
    for level, alpha in zip(levels, (0.25, -1)):
        noisy_mse = out_mse = 0.0
        for start in (0, 8):
            clean = clean_all[start:start + 8]
            episode = rrcnn.noise_episode(alpha, start)
            noisy = rrcnn.noisy(clean, alpha, seed=1234, episode=episode)
            states = model.rollout(noisy, 10, seed=1234, episode=episode, **RUN)
            # One tall image: the CLI's MSE over the whole batch, summed in the same order.
            noisy_mse += rrcnn.mse(noisy.reshape(-1, 28), clean.reshape(-1, 28)) * 8
            out_mse += rrcnn.mse(states[..., -1].reshape(-1, 28), clean.reshape(-1, 28)) * 8
        assert level["noisy_mse"] == float(f"{noisy_mse / 16:.6g}")
        assert level["mse"] == float(f"{out_mse / 16:.6g}")
        assert level["psnr"] == float(f"{rrcnn.psnr_from_mse(out_mse / 16):.4f}")


def test_eval_parts_match_cli(cli, asset):
    ckpt = asset("rrcnn-pool.safetensors")
    p = cli("eval", "--ckpt", ckpt, "--json", "--count", 8, "--batch", 8, "--per-step", "--steps", 6,
            "--alphas", "0.5", "--repair", "--damage-step", 4, "--recover-steps", 3, *CLI_RUN)
    want = json.loads(p.stdout)
    model = rrcnn.Model.load(ckpt)
    got = rrcnn.eval_per_step(model, alphas=[0.5], steps=6, count=8, batch=8, **RUN)
    assert got == want["per_step"]
    got = rrcnn.eval_repair(model, damage_step=4, recover_steps=3, count=8, batch=8, **RUN)
    assert got == want["repair"]


def read_log(path):
    """The step lines of a training log (the first line names the run and has no "step")."""
    with open(path) as f:
        return [r for r in map(json.loads, f) if "step" in r]


def same_record(py, cli_line):
    for key in ("step", "loss", "lr", "grad_norm", "horizon"):
        if key in cli_line:
            v = py[key]
            assert cli_line[key] == (v if isinstance(v, int) else float(f"{v:.6g}")), key


def test_reference_training_matches_cli(cli, tmp_path):
    out, log = tmp_path / "lite.safetensors", tmp_path / "lite.jsonl"
    cli("train", "--preset", "lite", "--steps", 4, "--seed", 3, "--out", out, "--log", log, "--quiet", *CLI_RUN)
    model = rrcnn.Model("lite", seed=3)
    py_log = tmp_path / "py.jsonl"
    trainer = rrcnn.Trainer(model, log=py_log, **RUN)
    history = trainer.run(4)
    assert len(history) == 4 and not history.interrupted
    assert len(read_log(log)) == 4
    for py, line in zip(history, read_log(log)):
        same_record(py, line)
    # The trainer's own log is the CLI's, line for line (the same driver writes both).
    for mine, theirs in zip(read_log(py_log), read_log(log), strict=True):
        assert {k: v for k, v in mine.items() if k != "seconds"} == {k: v for k, v in theirs.items() if k != "seconds"}
    saved = rrcnn.Model.load(str(out))
    assert np.array_equal(saved.flat_params, model.flat_params)  # bit for bit
    assert saved.optimizer_step == model.optimizer_step == 4

    # Continuing: `rrcnn train --resume` against a Trainer on the loaded checkpoint (its Adam
    # state and step count) and against the Python trainer going on.
    from_file = rrcnn.Model.load(str(out))
    cli("train", "--resume", out, "--steps", 2, "--log", log, "--quiet", *CLI_RUN)
    resumed = rrcnn.Model.load(str(out))
    more = trainer.run(2)
    again = rrcnn.Trainer(from_file, **RUN).run(2)
    assert resumed.optimizer_step == model.optimizer_step == from_file.optimizer_step == 6
    assert np.array_equal(resumed.flat_params, model.flat_params)
    assert np.array_equal(resumed.flat_params, from_file.flat_params)
    for py, py2, line in zip(more, again, read_log(log)[4:]):
        same_record(py, line)
        same_record(py2, line)


def test_pool_training_matches_cli(cli, tmp_path):
    out, log = tmp_path / "pool.safetensors", tmp_path / "pool.jsonl"
    flags = ["--pool", 12, "--pool-replace", 1, "--horizon", "6..10", "--damage", 1, "--damage-radius", 2,
             "--batch", 4]
    cli("train", "--preset", "lite", "--steps", 4, "--seed", 2, "--out", out, "--log", log, "--quiet", *flags,
        *CLI_RUN)
    model = rrcnn.Model("lite", seed=2)
    trainer = rrcnn.Trainer(model, "pool", pool=12, pool_replace=1, horizon=(6, 10), damage=1, damage_radius=2,
                            batch=4, **RUN)
    history = trainer.run(4)
    lines = read_log(log)
    assert [r["horizon"] for r in history] == [line["horizon"] for line in lines]
    for py, line in zip(history, lines):
        same_record(py, line)
    assert np.array_equal(rrcnn.Model.load(str(out)).flat_params, model.flat_params)
    trainer.save(str(tmp_path / "py.safetensors"))
    assert read_bytes(tmp_path / "py.safetensors.pool") == read_bytes(str(out) + ".pool")
    saved = rrcnn.Model.load(str(tmp_path / "py.safetensors"))
    assert saved.recipe == "pool" and np.array_equal(saved.flat_params, model.flat_params)


def test_python_weights_run_in_the_cli(cli, tmp_path, test_digits):
    """Parameters written from numpy round-trip through a checkpoint the CLI renders as Python does."""
    model = rrcnn.Model("lite", seed=9)
    rng = np.random.default_rng(0)
    for name, view in model.params.items():
        model.params[name] = rng.normal(0, 0.05, view.shape).astype(np.float32)
    path = tmp_path / "custom.safetensors"
    model.save(str(path))
    back = rrcnn.Model.load(str(path))
    for name in model.params:
        assert np.array_equal(back.params[name], model.params[name])
    out = tmp_path / "cli.png"
    cli("render", "--ckpt", path, "--out", out, "--steps", 5, "--digits", 3, *CLI_RUN)
    clean = test_digits[0][:3]
    noisy = rrcnn.noisy(clean, None, seed=0)
    states = back.rollout(noisy, 5, **RUN)
    rrcnn.write_png(str(tmp_path / "py.png"), rrcnn.picture([noisy, states, clean]))
    assert read_bytes(tmp_path / "py.png") == read_bytes(out)
