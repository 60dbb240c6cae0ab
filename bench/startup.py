"""Start-up time of the `kg` command beside `python -c "import click"` (the floor: an interpreter
and click): each command runs N times as a fresh process; prints min and median seconds and their
ratio to the floor, side by side, in one run. With --ref, the same commands with kg's code as of
a git commit (exported to a temporary folder, put first on PYTHONPATH) in a second column.

    python bench/startup.py [-n 15] [--ref HEAD~1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    ("python -c 'import click'", [sys.executable, "-c", "import click"]),
    ("kg --help", ["kg", "--help"]),
    ("kg --version", ["kg", "--version"]),
    ("kg query --help", ["kg", "query", "--help"]),
    ("kg query --list", ["kg", "query", "--list"]),
]


def _kg() -> list[str]:
    """The installed `kg` script beside this interpreter (what users run), else python -m kg."""
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


def timings(argv: list[str], n: int, env: dict) -> list[float]:
    argv = _kg() + argv[1:] if argv[0] == "kg" else argv
    subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)  # warm the file cache
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def export_ref(ref: str, into: Path) -> None:
    """kg/ as of `ref`, into `into`/kg (git archive: the work tree and the repository are not touched)."""
    archive = subprocess.run(["git", "archive", ref, "kg"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--ref", help="also time kg as of this git commit")
    args = parser.parse_args()
    env = dict(os.environ)
    columns = [("this tree", env)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.ref:
            export_ref(args.ref, Path(tmp))
            columns.append((args.ref, {**env, "PYTHONPATH": tmp + os.pathsep + env.get("PYTHONPATH", "")}))
        results = {(label, name): timings(argv, args.n, column_env)
                   for label, column_env in columns for name, argv in COMMANDS}
    floor = {label: min(results[label, COMMANDS[0][0]]) for label, _ in columns}
    head = f"{'command':26}" + "".join(f"{label + ': min / median / min÷floor':>42}" for label, _ in columns)
    print(f"{args.n} runs each, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(head)
    for name, _ in COMMANDS:
        cells = []
        for label, _ in columns:
            times = results[label, name]
            cells.append(f"{min(times):.3f} s / {statistics.median(times):.3f} s / {min(times) / floor[label]:5.1f}×")
        print(f"{name:26}" + "".join(f"{cell:>42}" for cell in cells))


if __name__ == "__main__":
    main()
