"""The Python API itself: shapes and dtypes, views without copies, parameter round trips,
rollout options (chunking, trajectories, continuation, dropout, threads), the brushes against
the studio's geometry, data, noise and metrics against numpy, baselines, training controls,
and that compute runs without the GIL."""

import threading
import time

import numpy as np
import pytest

from conftest import THREADS, rrcnn

RUN = dict(backend="cpu", threads=THREADS)


@pytest.fixture(scope="module")
def lite():
    model = rrcnn.Model("lite", seed=4)
    rng = np.random.default_rng(1)
    w = model.params["update.layers.2.kernel"]  # the zero-initialised last layer: make it act
    model.params["update.layers.2.kernel"] = rng.normal(0, 0.05, w.shape)
    return model


def test_config_and_construction():
    m = rrcnn.Model("seed")
    assert m.config["channels"] == 64 and m.config["hidden"] == [128, 128]
    c = rrcnn.Model({"preset": "lite", "hidden": [24], "channels": 8, "perception": 8}).config
    assert (c["hidden"], c["channels"], c["rollout_steps"], c["preset"]) == ([24], 8, 32, "custom")
    assert rrcnn.Model({"preset": "lite"}).config["preset"] == "lite"
    assert m.optimizer_step is None and m.recipe == "seed" and m.path == ""
    specs = m.param_specs
    assert specs[0] == ("perceive.kernel", (3, 3, 64, 64), False)
    assert sum(int(np.prod(s)) for _, s, _ in specs) == 69952 == m.flat_params.size
    assert sum(int(np.prod(s)) for _, s, t in specs if t) == 33088


def test_same_seed_same_init_and_the_cli_initialisation():
    a, b = rrcnn.Model("lite", seed=5), rrcnn.Model("lite", seed=5)
    assert np.array_equal(a.flat_params, b.flat_params)
    assert not np.array_equal(a.flat_params, rrcnn.Model("lite", seed=6).flat_params)
    assert not a.params["update.layers.2.kernel"].any()  # zeros_init, as the original


def test_params_are_writable_views():
    m = rrcnn.Model("lite")
    view = m.params["update.layers.0.bias"]
    assert view.dtype == np.float32 and view.flags.writeable and not view.flags.owndata
    view[:] = 0.25
    assert np.all(m.params["update.layers.0.bias"] == 0.25)
    layout_offset = m.flat_params.size - 16  # the last bias is the end of the flat buffer
    m.params["update.layers.2.bias"] = np.arange(16)
    assert np.array_equal(m.flat_params[layout_offset:], np.arange(16, dtype=np.float32))
    snapshot = m.params.numpy()
    m.params = {"update.layers.2.bias": np.zeros(16)}
    assert not m.params["update.layers.2.bias"].any() and snapshot["update.layers.2.bias"][3] == 3
    del m  # the views keep the model alive
    assert view.sum() == 0.25 * view.size


def test_params_round_trip_through_a_checkpoint(tmp_path, lite):
    path = str(tmp_path / "m.safetensors")
    lite.note = "from pytest"
    lite.save(path)
    back = rrcnn.Model.load(path)
    assert back.path == path and back.note == "from pytest" and back.config == lite.config
    for k in lite.params:
        assert np.array_equal(back.params[k], lite.params[k])


def test_weights_written_between_rollouts_are_used(lite, test_digits):
    x = rrcnn.noisy(test_digits[0][:2], 0.5, seed=1)
    m = rrcnn.Model("lite", seed=4)
    before = m.rollout(x, 4, **RUN)
    m.flat_params[:] = lite.flat_params
    after = m.rollout(x, 4, **RUN)
    assert np.array_equal(after, lite.rollout(x, 4, **RUN)) and not np.array_equal(before, after)


def test_rollout_shapes_chunks_and_trajectories(lite, test_digits):
    x = rrcnn.noisy(test_digits[0][:3], None, seed=2)
    final = lite.rollout(x, 10, seed=2, **RUN)
    assert final.shape == (3, 28, 28, 16) and final.dtype == np.float32 and final.flags.owndata is False
    # The image channel starts as the input, the hidden channels at zero (a reset's state).
    start = lite.rollout(x, 0, **RUN)
    assert np.array_equal(start[..., -1], x) and not start[..., :-1].any()
    s, traj = lite.rollout(x, 10, seed=2, record_every=3, **RUN)
    assert np.array_equal(s, final) and traj.shape == (4, 3, 28, 28)  # steps 0, 3, 6, 9
    assert np.array_equal(traj[0], x)
    s1, every = lite.rollout(x, 10, seed=2, record_every=1, record="state", **RUN)
    assert every.shape == (11, 3, 28, 28, 16) and np.array_equal(every[-1], final)
    assert np.array_equal(every[3][..., -1], traj[1]) and np.array_equal(every[9][..., -1], traj[3])
    # Continuing from a state with start_step draws the same masks as one long rollout; the
    # perception is recomputed from the loaded state (a running backend updates it
    # incrementally), so the result agrees to float rounding, not bit for bit (a Simulation
    # continues bit for bit).
    half = lite.rollout(x, 4, seed=2, **RUN)
    assert np.allclose(lite.step(half, 6, seed=2, start_step=4, **RUN), final, atol=1e-5)
    assert not np.allclose(lite.step(half, 6, seed=2, **RUN), final, atol=1e-3)
    # Dropout 0 is deterministic in the seed; another seed changes the masks otherwise.
    assert np.array_equal(lite.rollout(x, 5, dropout=0, seed=1, **RUN), lite.rollout(x, 5, dropout=0, seed=9, **RUN))
    assert not np.array_equal(lite.rollout(x, 5, seed=1, **RUN), lite.rollout(x, 5, seed=9, **RUN))


def test_float64_and_strided_inputs_are_converted(lite, test_digits):
    x = rrcnn.noisy(test_digits[0][:4], 0.3, seed=3)
    want = lite.rollout(x, 3, **RUN)
    assert np.array_equal(lite.rollout(x.astype(np.float64), 3, **RUN), want)
    wide = np.zeros((4, 28, 56), np.float32)
    wide[:, :, ::2] = x
    assert np.array_equal(lite.rollout(wide[:, :, ::2], 3, **RUN), want)


def test_thread_count_does_not_change_the_numbers(lite, test_digits):
    x = rrcnn.noisy(test_digits[0][:4], 0.5, seed=3)
    one = lite.rollout(x, 6, backend="cpu", threads=1)
    assert np.array_equal(one, lite.rollout(x, 6, backend="cpu", threads=2))
    before = rrcnn.num_threads()
    lite.rollout(x, 1, backend="cpu", threads=1)
    assert rrcnn.num_threads() == before  # per-call threads are restored


def test_rollout_releases_the_gil():
    model = rrcnn.Model("seed", seed=1)
    x = np.full((8, 28, 28), 0.5, np.float32)
    model.rollout(x, 1, **RUN)  # warm up
    gaps, done = [], threading.Event()

    def work():
        model.rollout(x, 24, **RUN)
        done.set()

    t = threading.Thread(target=work)
    t0 = time.perf_counter()
    t.start()
    last = time.perf_counter()
    while not done.is_set():
        sum(range(2000))  # pure Python: needs the GIL
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    t.join()
    total = time.perf_counter() - t0
    # Holding the GIL would stall this loop for the whole rollout (one gap of ~total).
    assert len(gaps) > 20 and max(gaps) < 0.75 * total, (len(gaps), max(gaps), total)


def test_brushes_match_the_studio_geometry(lite, test_digits):
    states = lite.rollout(rrcnn.noisy(test_digits[0][:2], 0.2, seed=0), 3, **RUN)
    damaged = states.copy()
    rrcnn.erase(damaged, 10, 12, 3, sample=1)
    mask = rrcnn.disc(28, 28, 10, 12, 3)
    assert mask.sum() == 29  # cells whose centre is within 3 of the centre cell's
    assert not damaged[1][mask].any() and np.array_equal(damaged[1][~mask], states[1][~mask])
    assert np.array_equal(damaged[0], states[0])
    drawn = np.zeros((1, 28, 28, 16), np.float32)
    rrcnn.draw(drawn, 5, 5, 1.5, strength=0.8, to=(9, 5))
    assert np.all(drawn[0, 5, 5:10, -1] == np.float32(0.8)) and not drawn[..., :-1].any()
    a, b = np.zeros((1, 28, 28, 16), np.float32), np.zeros((1, 28, 28, 16), np.float32)
    rrcnn.noise_disc(a, 14, 14, 4, strength=0.5, seed=3, serial=1)
    rrcnn.noise_disc(b, 14, 14, 4, strength=0.5, seed=3, serial=1)
    assert np.array_equal(a, b) and a[0, 14, 14, -1] != 0 and a[0, 0, 0, -1] == 0
    assert rrcnn.repair_centre(test_digits[0][0]) == rrcnn.repair_centre(test_digits[0][0].copy())


def test_data_noise_and_metrics(test_digits):
    train, labels = rrcnn.mnist("train")
    assert train.shape == (9000, 28, 28) and labels.shape == (9000,) and not train.flags.writeable
    test, _ = test_digits
    assert test.shape == (1000, 28, 28) and 0 <= test.min() and test.max() <= 1
    clean = test[:5]
    a = rrcnn.noisy(clean, 0.5, seed=1)
    assert np.array_equal(a, rrcnn.noisy(clean, 0.5, seed=1)) and not np.array_equal(a, rrcnn.noisy(clean, 0.5, seed=2))
    assert a.min() >= 0 and a.max() <= 1
    levels = rrcnn.noise_levels(5, None, seed=4)
    assert levels.shape == (5,) and np.all((0 <= levels) & (levels <= 1))
    assert np.allclose(rrcnn.noise_levels(5, 0.3), 0.3)
    assert np.array_equal(rrcnn.noisy(clean, 0.0, seed=1), clean)
    want = ((np.clip(a, 0, 1).astype(np.float64) - clean) ** 2).mean(axis=(1, 2))
    assert np.allclose(rrcnn.mse(a, clean), want, rtol=1e-12)
    assert np.allclose(rrcnn.psnr(a, clean), 10 * np.log10(1 / want), rtol=1e-12)
    assert isinstance(rrcnn.psnr(a[0], clean[0]), float) and rrcnn.psnr(clean[0], clean[0]) == 99.0
    q = rrcnn.summarize_quality(list(want))
    assert q["n"] == 5 and abs(q["mse"] - want.mean()) < 1e-12
    masks = rrcnn.keep_masks(2, 28, 28, 3, rate=0.5, seed=1)
    assert masks.shape == (3, 2, 28, 28) and 0.4 < masks.mean() < 0.6
    assert rrcnn.diverged(np.array([[0.0, 1.0], [np.nan, 0.0], [2000.0, 0.0]])).tolist() == [False, True, True]


def test_baselines(test_digits):
    clean = test_digits[0][:6]
    noisy = rrcnn.noisy(clean, 0.5, seed=0)
    blurred = rrcnn.gaussian_blur(noisy, 1.0)
    assert blurred.shape == noisy.shape and rrcnn.mse(blurred, clean).mean() < rrcnn.mse(noisy, clean).mean()
    assert np.array_equal(rrcnn.gaussian_blur(np.full((28, 28), 0.3), 2.0), np.full((28, 28), 0.3, np.float32))
    med = rrcnn.median_filter(noisy, 3)
    i, j = 10, 12
    assert med[0, i, j] == np.median(noisy[0, i - 1:i + 2, j - 1:j + 2])
    assert np.allclose(rrcnn.mean_image(test_digits[0]), test_digits[0].mean(axis=0), atol=1e-6)
    assert list(rrcnn.median_window_candidates()) == [3, 5, 7, 9]


def test_eval_baselines_structure():
    model = rrcnn.Model("lite", seed=0)
    r = rrcnn.eval_baselines(model, count=4, batch=4, tune_count=20, **RUN)
    assert r["tuning_digits"] == 20 and len(r["levels"]) == 4
    methods = [m["method"] for m in r["levels"][0]["methods"]]
    assert methods[:4] == ["noisy", "mean_digit", "blur", "median"] and methods.count("model") == 4


def test_trainer_controls():
    model = rrcnn.Model({"preset": "lite", "hidden": [16], "rollout_steps": 4}, seed=0)
    trainer = rrcnn.Trainer(model, batch=2, lr=2e-3, **RUN)
    assert trainer.info["recipe"] == "reference" and trainer.step_count == 0
    assert trainer.learning_rate() == pytest.approx(2e-3)
    before = model.flat_params.copy()
    r = trainer.step()
    assert set(r) == {"step", "loss", "lr", "grad_norm", "seconds"} and r["step"] == 0
    assert not np.array_equal(before, model.flat_params) and model.optimizer_step == 1
    # The frozen perception kernel never changes.
    assert np.array_equal(before[:3 * 3 * 16 * 16], model.flat_params[:3 * 3 * 16 * 16])
    seen = []
    h = trainer.run(10, callback=lambda rec: seen.append(rec["step"]) or len(seen) < 3)
    assert seen == [1, 2, 3] and len(h) == 3 and not h.interrupted and h.column("step") == [1, 2, 3]
    # Weights written into the model between steps are what the next step trains.
    model.params["update.layers.1.bias"] = np.full(16, 0.1)
    trainer.step()
    assert abs(model.params["update.layers.1.bias"] - 0.1).max() < 0.01
    pool = rrcnn.Trainer(rrcnn.Model("lite", seed=1), "pool", pool=8, horizon=3, batch=2, **RUN)
    assert "horizon" in pool.step() and pool.pool_states().shape == (8, 28, 28, 16)


def test_simulation_continues_bit_for_bit_and_paints_like_the_functions(lite, test_digits):
    x = rrcnn.noisy(test_digits[0][:3], None, seed=2)
    final = lite.rollout(x, 10, seed=2, **RUN)
    sim = lite.simulate(x, seed=2, **RUN)
    sim.step(4)
    sim.step(6)
    assert sim.step_count == 10 and np.array_equal(sim.state, final)
    assert np.array_equal(sim.image, final[..., -1])
    before = sim.state
    sim.erase(12, 9, 2.5, sample=2)
    expect = before.copy()
    rrcnn.erase(expect, 12, 9, 2.5, sample=2)
    assert np.array_equal(sim.state, expect)
    sim.noise(5, 5, 3, strength=0.4)
    rrcnn.noise_disc(expect, 5, 5, 3, strength=0.4, seed=2, serial=1)  # the erase was stroke 0
    assert np.array_equal(sim.state, expect)
    sim.state = final
    sim.dropout = 0.0
    sim.step(1)
    assert np.array_equal(sim.state, lite.step(final, 1, dropout=0, **RUN))


def test_optimizer_state_moves_between_models(tmp_path):
    model = rrcnn.Model({"preset": "lite", "rollout_steps": 4}, seed=2)
    assert model.optimizer_state is None
    rrcnn.Trainer(model, batch=2, **RUN).run(2)
    state = model.optimizer_state
    assert state["step"] == 2 and set(state["mu"]) == {n for n, _, t in model.param_specs if t}
    assert state["mu"]["update.layers.0.kernel"].shape == (16, 32) and state["nu"]["update.layers.2.bias"].any()
    # A model rebuilt from arrays (weights and Adam moments, as from optax) trains on identically.
    other = rrcnn.Model(model.config, seed=model.seed)  # the seed picks the batches
    other.params = model.params.numpy()
    other.optimizer_state = state
    a = rrcnn.Trainer(model, batch=2, **RUN).run(2)
    b = rrcnn.Trainer(other, batch=2, **RUN).run(2)
    assert a.column("loss") == b.column("loss") and np.array_equal(model.flat_params, other.flat_params)
    path = str(tmp_path / "m.safetensors")
    other.save(path)
    back = rrcnn.Model.load(path).optimizer_state
    assert back["step"] == 4 and all(np.array_equal(back["nu"][k], other.optimizer_state["nu"][k]) for k in back["nu"])
    with pytest.raises(rrcnn.Error, match="^optimizer_state: 'mu' lacks update.layers.0.kernel"):
        other.optimizer_state = {"step": 1, "mu": {}, "nu": {}}
    other.optimizer_state = None
    assert other.optimizer_step is None
