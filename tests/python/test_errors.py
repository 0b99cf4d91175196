"""Bad inputs raise rrcnn.Error (a RuntimeError) with the one-line message the CLI prints after
'rrcnn: error: ' for the same fault; shapes, configs and arguments the CLI cannot be given get
their own one-line messages naming the call and the problem."""

import numpy as np
import pytest

from conftest import rrcnn

PREFIX = "rrcnn: error: "


def cli_message(cli, *args):
    p = cli(*args, check=False)
    assert p.returncode != 0
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith(PREFIX), line
    return line[len(PREFIX):]


def raises(match_text, fn, *args, exc=None, **kwargs):
    with pytest.raises(exc or rrcnn.Error) as info:
        fn(*args, **kwargs)
    assert str(info.value) == match_text
    return info.value


def test_error_types():
    assert issubclass(rrcnn.Error, RuntimeError) and issubclass(rrcnn.DivergedError, rrcnn.Error)


def test_bad_files_say_what_the_cli_says(cli, tmp_path, asset):
    missing = str(tmp_path / "missing.safetensors")
    raises(cli_message(cli, "info", missing), rrcnn.Model.load, missing)
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(open(asset("rrcnn-seed.safetensors"), "rb").read()[:100])
    raises(cli_message(cli, "info", truncated), rrcnn.Model.load, str(truncated))
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")
    raises(cli_message(cli, "info", garbage), rrcnn.Model.load, str(garbage))
    empty = tmp_path / "empty"
    empty.mkdir()
    msg = cli_message(cli, "render", "--ckpt", asset("rrcnn-seed.safetensors"), "--out", tmp_path / "x.png",
                      "--data", empty)
    raises(msg, rrcnn.mnist, "test", data=str(empty))
    raises(msg, rrcnn.Trainer, rrcnn.Model("lite"), data=str(empty))


def test_bad_configs_and_backends_say_what_the_cli_says(cli, tmp_path, asset):
    raises(cli_message(cli, "train", "--preset", "bogus", "--out", tmp_path / "x"), rrcnn.Model, "bogus")
    ckpt = asset("rrcnn-seed.safetensors")
    model = rrcnn.Model("lite")
    x = np.zeros((1, 28, 28), np.float32)
    raises(cli_message(cli, "render", "--ckpt", ckpt, "--out", tmp_path / "x.png", "--backend", "gpu"),
           model.rollout, x, 1, backend="gpu")
    if not rrcnn.cuda_available()[0]:
        raises(cli_message(cli, "render", "--ckpt", ckpt, "--out", tmp_path / "x.png", "--backend", "cuda"),
               model.rollout, x, 1, backend="cuda")
    with pytest.raises(rrcnn.Error, match="^config: unknown key 'chanels' \\(known: preset, height"):
        rrcnn.Model({"chanels": 8})
    raises("config: 'hidden' has the wrong type (str)", rrcnn.Model, {"hidden": "128"})
    with pytest.raises(rrcnn.Error, match="channels"):
        rrcnn.Model({"channels": 0})
    raises("Model: config must be a preset name (['seed', 'lite']) or a dict, got int", rrcnn.Model, 3)


def test_bad_shapes_and_values():
    model = rrcnn.Model("lite")
    raises("rollout: expected images (B, 28, 28) or states (B, 28, 28, 16), got (2, 27, 28)",
           model.rollout, np.zeros((2, 27, 28)), 1)
    raises("rollout: expected states (B, 28, 28, 16) or images (B, 28, 28), got (2, 28, 28, 64)",
           model.rollout, np.zeros((2, 28, 28, 64)), 1)
    raises("rollout: the batch is empty", model.rollout, np.zeros((0, 28, 28)), 1)
    raises("rollout: steps must be >= 0, got -1", model.rollout, np.zeros((1, 28, 28)), -1)
    raises("rollout: dropout 1 must be in [0, 1)", model.rollout, np.zeros((1, 28, 28)), 1, dropout=1.0)
    raises("rollout: record must be 'image' or 'state', got 'all'", model.rollout, np.zeros((1, 28, 28)), 1,
           record_every=1, record="all")
    raises("rollout: input: expected a numpy array of numbers, got str", model.rollout, "digits", 1)
    bad = np.zeros((1, 28, 28), np.float32)
    bad[0, 3, 4] = np.nan
    raises("rollout: input(1, 28, 28) has nan at [0, 3, 4]", model.rollout, bad, 1)
    raises("noise level 1.5 is outside [0, 1] (None or -1 = random per digit)", rrcnn.noisy, bad, 1.5)
    raises("mnist: split must be 'train' or 'test', got 'validation'", rrcnn.mnist, "validation")
    raises("psnr: images (2, 28, 28) and targets (3, 28, 28) do not match", rrcnn.psnr,
           np.zeros((2, 28, 28)), np.zeros((3, 28, 28)))
    raises("median_filter: window must be odd and >= 1, got 4", rrcnn.median_filter, np.zeros((28, 28)), 4)
    with pytest.raises(rrcnn.Error, match="^erase: states must be a writable float32 C-contiguous array"):
        rrcnn.erase(np.zeros((1, 28, 28, 16)), 3, 3)  # float64: painting works in place only
    with pytest.raises(rrcnn.Error, match="^erase: sample 5 outside the batch of 1"):
        rrcnn.erase(np.zeros((1, 28, 28, 16), np.float32), 3, 3, sample=5)


def test_bad_parameters():
    model = rrcnn.Model("lite")
    raises("parameter update.layers.0.bias: expected shape (32,), got (16,)",
           model.params.__setitem__, "update.layers.0.bias", np.zeros(16))
    with pytest.raises(KeyError, match="no parameter 'update.layers.9.bias'"):
        model.params["update.layers.9.bias"]
    raises("parameter update.layers.0.bias: values must be finite",
           model.params.__setitem__, "update.layers.0.bias", np.full(32, np.inf))
    model.flat_params[7] = np.nan  # through the raw view: caught when the backend takes them
    raises("parameters: element 7 is nan", model.rollout, np.zeros((1, 28, 28)), 1)
    raises("parameters: element 7 is nan", rrcnn.Trainer, model)


def test_trainer_arguments_and_divergence(cli, tmp_path):
    model = rrcnn.Model({"preset": "lite", "rollout_steps": 4}, seed=0)
    raises("Trainer: recipe must be 'reference' or 'pool', got 'fast'", rrcnn.Trainer, model, "fast")
    raises("Trainer: batch 0 must be in 1..4096", rrcnn.Trainer, model, batch=0)
    with pytest.raises(rrcnn.Error, match="horizon"):
        rrcnn.Trainer(model, "pool", horizon=(10, 5))
    msg = cli_message(cli, "train", "--preset", "lite", "--pool", 8, "--damage-mode", "burn", "--out", tmp_path / "x")
    raises(msg, rrcnn.Trainer, model, "pool", damage_mode="burn")
    raises("Trainer.run: steps must be >= 0, got -2", rrcnn.Trainer(model).run, -2)
    # Weights that blow up: the step is refused and the model keeps what it had.
    model.params["update.layers.2.kernel"] = np.full((32, 16), 1e30, np.float32)
    before = model.flat_params.copy()
    trainer = rrcnn.Trainer(model, threads=1)
    with pytest.raises(rrcnn.DivergedError, match="^training diverged: "):
        trainer.step()
    assert np.array_equal(before, model.flat_params) and trainer.step_count == 0
