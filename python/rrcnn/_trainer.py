"""rrcnn.Trainer: the training driver of `rrcnn train` for one Model, step by step from Python."""

from ._rrcnn import _Trainer


class History(list):
    """The records of Trainer.run (dicts with step, loss, lr, grad_norm, [horizon], seconds).

    ``interrupted`` is True when Ctrl-C (KeyboardInterrupt) stopped the run between two steps;
    the model then holds the weights after the last record."""

    interrupted = False

    def column(self, key):
        """One field over the run, e.g. ``history.column("loss")``."""
        return [r[key] for r in self]


class Trainer:
    """Trains `model` in place with the recipe `rrcnn train` runs.

    recipe: "reference" (the original's: fresh noisy digits, `rollout_steps` steps, MSE, BPTT,
    clipping, Adam with the linear decay) or "pool" (a sample pool, a horizon drawn per step and
    damage: persistence and repair; the `--pool` flags). Default: the model's own recipe.
    Seeds, batches and step numbering are the CLI's, so ``Trainer(Model("lite", seed=3)).run(5)``
    gives the losses and weights of ``rrcnn train --preset lite --seed 3 --steps 5`` bit for bit
    (same backend and thread count). A model with Adam state (a training checkpoint) continues
    from its optimiser step, like ``--resume``.

    The trainer runs on its own backend (`backend`, `threads` as the CLI's flags); after every
    step the model's parameters and Adam state are updated, and weights written into
    ``model.params`` between steps are trained from the next step on. ``log=PATH`` appends one
    JSON line per step (the format of ``rrcnn train --log``).
    """

    def __init__(self, model, recipe=None, *, batch=8, lr=1e-3, lr_end=None, lr_decay_steps=2000,
                 clip_norm=1.0, seed=None, data="", backend="auto", threads=0,
                 pool=256, pool_replace=2, horizon=(64, 96), damage=0, damage_radius=3,
                 damage_mode="erase", pool_state="", log=None):
        if recipe is None:
            recipe = "pool" if model.recipe == "pool" else "reference"
        if isinstance(horizon, int):
            horizon = (horizon, horizon)
        self.model = model
        self._t = _Trainer(model, recipe, batch, lr, lr_end, lr_decay_steps, clip_norm, seed, str(data),
                           backend, threads, pool, pool_replace, tuple(horizon), damage, damage_radius,
                           damage_mode, str(pool_state), str(log) if log else "")

    def step(self):
        """One optimiser step; returns {step, loss, lr, grad_norm, [horizon,] seconds}. A
        non-finite loss or gradient raises rrcnn.DivergedError and leaves the model as it was."""
        return self._t.step()

    def run(self, steps, callback=None):
        """Up to `steps` optimiser steps; returns a History of the records.

        callback(record) runs after every step; returning False stops the run. Ctrl-C (in a
        notebook: interrupt the kernel) stops cleanly between steps: the step in progress
        finishes, the model keeps its weights, and the History is returned with
        ``interrupted=True`` instead of raising."""
        records, interrupted = self._t.run(int(steps), callback)
        history = History(records)
        history.interrupted = interrupted
        return history

    def save(self, path, optimizer=True):
        """Writes the model as `rrcnn train` does: a checkpoint with the Adam state (unless
        optimizer=False) and, for the pool recipe, the pool beside it (PATH.pool), which
        ``Trainer(..., pool_state=PATH.pool)`` or ``rrcnn train --resume PATH`` continue from."""
        self._t.save(str(path), optimizer)

    @property
    def step_count(self):
        """Optimiser updates applied so far (the next step's index)."""
        return self._t.step_count

    def learning_rate(self, step=None):
        """The schedule's learning rate at `step` (default: the next step)."""
        return self._t.learning_rate(self.step_count if step is None else step)

    @property
    def info(self):
        """Recipe, backend, device, seed and hyper-parameters, as a dict."""
        return self._t.info()

    def pool_states(self):
        """A copy of the sample pool's states (S, H, W, C) (pool recipe only)."""
        return self._t.pool_states()

    def __repr__(self):
        i = self.info
        return f"Trainer(recipe={i['recipe']!r}, backend={i['backend']!r}, step={self.step_count})"
