"""Run every benchmark in this folder (``bench_*.py``), each in its own process.

Usage: ``.venv/bin/python bench/run.py [NAME ...]`` (``make bench``). A name picks benchmarks
whose file name contains it. Exits non-zero when a benchmark fails or misses its goal.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if any(w in s.name for w in wanted)]
    if not scripts:
        print("No benchmark found.", file=sys.stderr)
        return 1
    failed = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        print(
            f"=== {script.name}: exit {result.returncode}, {time.perf_counter() - started:.1f} s\n"
        )
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
