"""Hypothesis profiles for the fuzz tests and the fuzz report written at the end of the session.

By default ("kg-ci") each property runs a small, derandomised number of examples so the folder
stays well under a minute; KG_FUZZ_EXAMPLES=N ("kg-long") runs N random examples per property and
keeps failing examples in .fuzz/hypothesis. The report goes to $KG_FUZZ_REPORT_DIR (default .fuzz/).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from .harness import RECORDS

ROOT = Path(__file__).resolve().parent.parent.parent
CI_EXAMPLES = 25

settings.register_profile(
    "kg-ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,  # the same inputs on every CI run: a failure is reproducible, not a flake
    database=None,
    deadline=None,  # two shared cores: wall-clock deadlines would flake
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "kg-long",
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES") or CI_EXAMPLES),
    database=DirectoryBasedExampleDatabase(str(ROOT / ".fuzz" / "hypothesis")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "kg-long" if os.environ.get("KG_FUZZ_EXAMPLES") else "kg-ci"
settings.load_profile(PROFILE)


def _report_dir() -> Path:
    return Path(os.environ.get("KG_FUZZ_REPORT_DIR") or ROOT / ".fuzz")


def _summary() -> dict:
    kinds: dict[str, Counter] = {}
    for rec in RECORDS:
        kinds.setdefault(rec["kind"], Counter())[rec["outcome"]] += 1
    outcomes = Counter(rec["outcome"] for rec in RECORDS)
    return {
        "inputs": len(RECORDS),
        "parsed": outcomes["parsed"],
        "reported": outcomes["reported"],
        "crashes": outcomes["crash"],
        "profile": PROFILE,
        "examples_per_property": settings().max_examples,
        "by_kind": {kind: dict(sorted(c.items())) for kind, c in sorted(kinds.items())},
    }


def _markdown(summary: dict) -> str:
    lines = [
        "# Fuzz report",
        "",
        f"Profile `{summary['profile']}`, {summary['examples_per_property']} examples per property. "
        f"{summary['inputs']} inputs tried: {summary['parsed']} gave entries, {summary['reported']} gave only "
        f"problems (file, line, reason), **{summary['crashes']} crashed**.",
        "",
        "| kind of input | tried | entries kept | problems only | crashes |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind, c in summary["by_kind"].items():
        total = sum(c.values())
        lines.append(f"| {kind} | {total} | {c.get('parsed', 0)} | {c.get('reported', 0)} | {c.get('crash', 0)} |")
    crashes = [r for r in RECORDS if r["outcome"] == "crash"]
    if crashes:
        lines += ["", "## Crashes", ""]
        lines += [f"- `{r['kind']}` sha1 {r['sha1'][:12]} ({r['bytes']} bytes): {r['error']}" for r in crashes]
    lines += [
        "",
        "For `decode/*` inputs \"entries kept\" means the bytes decoded to text; \"problems only\" means a",
        "DecodeError with its reason. Every input (kind, short description, sha1, size, outcome, counts) is",
        "in `fuzz-report.json`.",
        "",
    ]
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter):
    if not RECORDS:
        return
    summary = _summary()
    folder = _report_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fuzz-report.json").write_text(
        json.dumps({"summary": summary, "inputs": RECORDS}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (folder / "fuzz-report.md").write_text(_markdown(summary), encoding="utf-8")
    terminalreporter.write_line(
        f"fuzz: {summary['inputs']} inputs, {summary['parsed']} with entries, {summary['reported']} with problems only, "
        f"{summary['crashes']} crashes (report: {folder / 'fuzz-report.md'})"
    )
