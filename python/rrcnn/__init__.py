"""rrcnn: RRCNN Studio's engine from Python.

The studio's backends (CPU, CUDA), checkpoints, random streams, training recipes, metrics and
baselines, with numpy in and out: arrays are float32 with shapes [batch, height, width,
channels] (the last channel is the image). The numbers are the CLI's: the same seed and thread
count give the same rollouts, losses and weights as `rrcnn render`, `rrcnn eval` and
`rrcnn train`. See docs/python.md.

    import rrcnn
    model = rrcnn.Model.pretrained("pool")
    clean, labels = rrcnn.mnist("test")
    noisy = rrcnn.noisy(clean[:8], alpha=0.5, seed=0)
    states = model.rollout(noisy, 64, seed=0)
    print(rrcnn.psnr(states, clean[:8]))
"""

import os as _os

from ._rrcnn import (  # noqa: F401
    BrushMode,
    DivergedError,
    Error,
    Model,
    blur_sigma_candidates,
    cuda_available,
    disc,
    diverged,
    draw,
    erase,
    eval_baselines,
    eval_per_step,
    eval_persistence,
    eval_repair,
    gaussian_blur,
    keep_masks,
    mean_image,
    median_filter,
    median_window_candidates,
    mnist as _mnist,
    mse,
    noise_disc,
    noise_episode,
    noise_levels,
    noisy,
    num_threads,
    picture,
    psnr,
    psnr_from_mse,
    repair_centre,
    set_num_threads,
    summarize_quality,
    write_gif,
    write_png,
)
from ._params import Params, _get_params, _set_params
from ._trainer import History, Trainer  # noqa: F401

__version__ = "0.1.0"

# The shipped digits and models: inside the package when installed with pip, else the
# checkout's assets/ (the module was built from it), or $RRCNN_ASSETS when set.
_PACKAGE_ASSETS = _os.path.join(_os.path.dirname(__file__), "assets")


# The C++ side reads $RRCNN_ASSETS for its defaults (data of Trainer and the eval functions):
# an installed package points it at its own copy.
if not _os.environ.get("RRCNN_ASSETS") and _os.path.isdir(_PACKAGE_ASSETS):
    _os.environ["RRCNN_ASSETS"] = _PACKAGE_ASSETS


def assets_dir():
    """The folder with the embedded digits and the shipped models."""
    if _os.environ.get("RRCNN_ASSETS"):
        return _os.environ["RRCNN_ASSETS"]
    if _os.path.isdir(_PACKAGE_ASSETS):
        return _PACKAGE_ASSETS
    return _rrcnn_default_assets()


def _rrcnn_default_assets():
    from ._rrcnn import _default_assets

    return _default_assets()


def mnist(split="train", data=None):
    """(images, labels) of a split: images (N, H, W) float32 in [0, 1], labels (N,) uint8, as
    read-only views (``.copy()`` to edit). split: "train" (the first 9,000 embedded digits) or
    "test" (the last 1,000, held out; `rrcnn eval` and `rrcnn render` use them). data: another IDX
    folder (original MNIST or Fashion-MNIST files), as the CLI's --data."""
    return _mnist(split, str(data) if data else assets_dir())


def _pretrained(name="seed"):
    """A shipped model: "seed" (the studio's default, the reference recipe) or "pool"
    (persistent and repairing)."""
    if name not in ("seed", "pool"):
        raise Error(f"pretrained: unknown model '{name}' (choose seed or pool)")
    return Model.load(_os.path.join(assets_dir(), f"rrcnn-{name}.safetensors"))


def _repr(self):
    c = self.config
    src = f", path={self.path!r}" if self.path else ""
    return (f"Model(preset={c['preset']!r}, channels={c['channels']}, hidden={c['hidden']}, "
            f"recipe={self.recipe!r}{src})")


Model.pretrained = staticmethod(_pretrained)
Model.params = property(_get_params, _set_params, doc=Params.__doc__)
Model.__repr__ = _repr

__all__ = [
    "Model", "Trainer", "History", "Params", "Error", "DivergedError", "BrushMode",
    "mnist", "noisy", "noise_levels", "noise_episode", "keep_masks", "assets_dir",
    "mse", "psnr", "psnr_from_mse", "summarize_quality", "diverged",
    "gaussian_blur", "median_filter", "mean_image", "blur_sigma_candidates", "median_window_candidates",
    "eval_baselines", "eval_persistence", "eval_repair", "eval_per_step",
    "erase", "draw", "noise_disc", "disc", "repair_centre",
    "picture", "write_png", "write_gif",
    "num_threads", "set_num_threads", "cuda_available",
]
