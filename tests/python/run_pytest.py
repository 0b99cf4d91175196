"""Runs one pytest file of the Python module's suite for CTest.

Exit 77 (CTest: skipped) with the reason on stdout when pytest or numpy are missing, so a machine
without them reports the suite as skipped rather than passed; pytest's own status otherwise.
"""

import sys

missing = []
for name in ("numpy", "pytest"):
    try:
        __import__(name)
    except ImportError:
        missing.append(name)
if missing:
    print(f"SKIPPED: {', '.join(missing)} not installed for {sys.executable} "
          f"(apt install {' '.join('python3-' + m for m in missing)})")
    sys.exit(77)

import pytest  # noqa: E402

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]]))
