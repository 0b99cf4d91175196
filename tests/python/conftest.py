"""Shared fixtures: the module, the CLI binary next to it, the shipped models, a small model."""

import os
import subprocess

import pytest

# CTest registers these tests only when it builds the module: failing to import it is a failure.
import rrcnn  # noqa: E402

SOURCE_DIR = os.environ.get("RRCNN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
THREADS = 2  # the same on both sides of every comparison


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("RRCNN_CLI", os.path.join(SOURCE_DIR, "build", "app", "rrcnn"))
    assert os.path.exists(path), f"the rrcnn CLI is not built ({path}); set RRCNN_CLI"

    def run(*args, check=True):
        p = subprocess.run([path, *map(str, args)], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"rrcnn {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr}")
        return p

    return run


@pytest.fixture(scope="session")
def asset():
    return lambda name: os.path.join(SOURCE_DIR, "assets", name)


@pytest.fixture(scope="session")
def test_digits():
    images, labels = rrcnn.mnist("test")
    return images, labels
