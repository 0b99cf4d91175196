"""Model.params: the parameters as a mapping of writable numpy views into the model.

Writing into a view (``model.params["update.layers.0.bias"][:] = b``) or assigning a whole
tensor (``model.params["update.layers.0.bias"] = b``, shape checked) changes the model in
place; the next rollout or training step uses the new values. Nothing is copied on access.
"""

from collections.abc import MutableMapping

import numpy as np

from ._rrcnn import Error


class Params(MutableMapping):
    """Name -> float32 view, in the checkpoint's layout order (``perceive.kernel`` (3, 3, C, P),
    ``update.layers.{l}.kernel`` (in, out), ``update.layers.{l}.bias`` (out,))."""

    def __init__(self, model):
        self._model = model
        self._views = model._param_views()

    def __getitem__(self, name):
        try:
            return self._views[name]
        except KeyError:
            raise KeyError(f"no parameter '{name}' (the model has: {', '.join(self._views)})") from None

    def __setitem__(self, name, value):
        view = self[name]
        value = np.asarray(value)
        if value.shape != view.shape:
            raise Error(f"parameter {name}: expected shape {view.shape}, got {value.shape}")
        if not np.all(np.isfinite(value)):
            raise Error(f"parameter {name}: values must be finite")
        view[...] = value

    def __delitem__(self, name):
        raise TypeError("the model's parameters cannot be removed")

    def __iter__(self):
        return iter(self._views)

    def __len__(self):
        return len(self._views)

    def __repr__(self):
        shapes = ", ".join(f"{k}: {v.shape}" for k, v in self._views.items())
        return f"Params({shapes})"

    def numpy(self):
        """A dict of copies (e.g. to keep a snapshot while training goes on)."""
        return {k: v.copy() for k, v in self._views.items()}


def _get_params(model):
    return Params(model)


def _set_params(model, values):
    """model.params = {name: array}: every named tensor is written (shapes checked); names the
    model does not have raise, tensors not named are left as they are."""
    params = Params(model)
    unknown = [k for k in values if k not in params._views]
    if unknown:
        raise Error(f"parameters: unknown names {unknown} (the model has: {', '.join(params._views)})")
    for k, v in values.items():
        params[k] = v
