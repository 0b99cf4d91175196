"""Runs one pytest file of the Python module's suite for CTest.

Exit 77 (CTest: skipped) with the reason on stdout when pytest or numpy (or a module named with
--needs, e.g. matplotlib for the docs example) are missing, so a machine without them reports
the suite as skipped rather than passed; pytest's own status otherwise.

  run_pytest.py [--needs mod1,mod2] test_file.py [pytest args]
"""

import sys

args = sys.argv[1:]
needs = []
if args[:1] == ["--needs"]:
    needs, args = args[1].split(","), args[2:]
missing = []
for name in ("numpy", "pytest", *needs):
    try:
        __import__(name)
    except ImportError:
        missing.append(name)
if missing:
    print(f"SKIPPED: {', '.join(missing)} not installed for {sys.executable} "
          f"(apt install {' '.join('python3-' + m for m in missing)})")
    sys.exit(77)

import pytest  # noqa: E402

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *args]))
