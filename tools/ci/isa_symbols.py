#!/usr/bin/env python3
"""The per-instruction-set kernel files export nothing but their entry point (CTest isa_symbols).

core/cpu_kernels_avx2.cpp, _avx512.cpp and _avx512bf16.cpp are compiled with -mavx2 / -mavx512*
inside one library. Any function of external linkage that such a file defines out of line (an
inline function or a template instantiated there: std::vector<T>::_M_default_append, a helper
of a shared header) becomes a weak symbol, and the linker keeps ONE copy of each for the whole
program, possibly the AVX-512 one: then code that runs on every processor calls AVX-512
instructions and dies on a processor without them. cpu_kernels_impl.h keeps its helpers in an
anonymous namespace (and KernelImpl<I> is internal through its anonymous-namespace trait I),
so only `rrcnn::cpu_kernels_<isa>()` may be exported; this checks the compiled objects.

Usage: isa_symbols.py NM LIBRARY   (exit 1 listing each extra symbol; 77 without ISA objects)
"""
import re
import subprocess
import sys

MEMBER = re.compile(r"(cpu_kernels_(avx2|avx512|avx512bf16))\.cpp\.o(bj)?$")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    nm, lib = argv[1], argv[2]
    r = subprocess.run([nm, "-A", "-C", "-g", "--defined-only", lib], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"isa_symbols: {nm} failed on {lib}: {r.stderr.strip()[:200]}")
        return 1
    seen, bad = set(), []
    for line in r.stdout.splitlines():
        # "lib.a:member.o:0000000000000000 T symbol"
        m = re.match(r"^(.*?):([^:]+):\s*[0-9a-fA-F]*\s+(\w)\s+(.*)$", line)
        if not m:
            continue
        member, kind, symbol = m.group(2), m.group(3), m.group(4)
        mm = MEMBER.search(member)
        if not mm:
            continue
        seen.add(mm.group(1))
        if symbol != f"rrcnn::{mm.group(1)}()":
            bad.append(f"{member}: {kind} {symbol}")
    if not seen:
        print(f"isa_symbols skipped: no per-ISA kernel objects in {lib} (not an x86-64 build)")
        return 77
    for b in bad:
        print("exported by a per-ISA file: " + b)
    print(f"isa_symbols: {', '.join(sorted(seen))}: {len(bad)} symbols besides the entry points")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
