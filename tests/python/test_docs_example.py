"""docs/python.md's worked example runs as written: its code block (the first ```python block
after '## Worked example') in a fresh interpreter and an empty folder, where it must write the
figure and the custom model's checkpoint."""

import os
import re
import subprocess
import sys

import pytest

from conftest import SOURCE_DIR, rrcnn

pytest.importorskip("matplotlib", reason="matplotlib is not installed (apt install python3-matplotlib); "
                    "CTest checks this first and reports the test skipped")


def example_code():
    with open(os.path.join(SOURCE_DIR, "docs", "python.md")) as f:
        text = f.read()
    section = text.split("## Worked example", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "docs/python.md: no python block after '## Worked example'"
    return match.group(1)


def test_worked_example_runs_as_written(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    p = subprocess.run([sys.executable, "-c", example_code()], cwd=tmp_path, capture_output=True, text=True,
                       env=env, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (tmp_path / "python-example.png").stat().st_size > 10000
    model = rrcnn.Model.load(str(tmp_path / "custom.safetensors"))
    assert model.optimizer_step == 20 and model.config["hidden"] == [32]
    lines = p.stdout.splitlines()
    assert lines[0].startswith("PSNR after 64 steps") and lines[-1].startswith("20 steps, loss")
