#!/usr/bin/env python3
"""Parses the C++ sources of core/, gpu/ (host code) and app/cli with clang and libc++ (CTest
compile_libcxx). Another compiler and standard library than the build's g++ + libstdc++ catch
what ours forgives: a standard header reached only through another on our library, code only
g++ accepts. -fsyntax-only (no code generation) on all cores keeps it to seconds of CI time.

Usage: compile_libcxx.py MANIFEST...   (written by cmake/compile_check.cmake, one per target:
`source PATH<TAB>per-file options`, `define NAME[=VALUE]`, `include DIR` lines)
Exit 0 when all parse, 1 with each failing file and its first errors, 77 (skipped) with the
reason when clang or libc++ is missing. CLANGXX=... picks the compiler (default: clang++-14,
then clang++).
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import time

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_clang():
    for name in [os.environ.get("CLANGXX", ""), "clang++-14", "clang++"]:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def read_manifest(path):
    sources, flags, seen = [], [], set()
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        kind, _, rest = line.partition(" ")
        if kind == "source":
            src, _, opts = rest.partition("\t")
            sources.append((src, opts.split()))
        elif kind == "define" and rest:
            flags.append("-D" + rest)
        elif kind == "include" and rest and rest.rstrip("/") not in ("/usr/include",
                                                                    "/usr/local/include"):
            # (the default system folders stay last: libc++'s #include_next depends on it)
            if rest in seen:
                continue
            seen.add(rest)
            # CUDA's and other libraries' headers are not ours to fix: system includes.
            ours = rest.startswith(ROOT)
            flags += (["-I", rest] if ours else ["-isystem", rest])
    return sources, flags


def main(argv):
    clang = find_clang()
    if not clang:
        print("compile_libcxx skipped: no clang++ (apt install clang-14 libc++-14-dev)")
        return SKIP
    probe = subprocess.run([clang, "-std=c++17", "-stdlib=libc++", "-fsyntax-only", "-x", "c++",
                            "-"], input="#include <vector>\n", capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"compile_libcxx skipped: {clang} finds no libc++ headers "
              "(apt install libc++-14-dev libc++abi-14-dev)")
        return SKIP
    jobs = []
    for m in argv[1:]:
        sources, flags = read_manifest(m)
        jobs += [(src, flags + opts) for src, opts in sources]
    base = [clang, "-std=c++17", "-stdlib=libc++", "-fsyntax-only", "-fno-color-diagnostics",
            "-Wno-unknown-warning-option", "-Wno-unused-command-line-argument"]

    def parse(job):
        src, flags = job
        r = subprocess.run(base + flags + [src], capture_output=True, text=True)
        return src, r.returncode, r.stderr

    t0 = time.monotonic()
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for src, rc, err in pool.map(parse, jobs):
            if rc != 0:
                errors = [l for l in err.splitlines() if "error:" in l]
                failed.append(src)
                print(f"FAIL {src}")
                for l in errors[:5]:
                    print("     " + l[:200])
    version = subprocess.run([clang, "--version"], capture_output=True, text=True).stdout
    print(f"compile_libcxx: {len(jobs)} files parsed by {version.splitlines()[0]} with libc++ "
          f"in {time.monotonic() - t0:.1f} s, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
