"""Our full `mkdocs build --strict` against a plain Material build of the same Markdown.

The plain build is our mkdocs.yml (same theme, features, nav and Markdown extensions) with only
the search plugin: no tags, no mkdocstrings, no hooks ("last updated", the gates). What those
cost is what we measure.
Both builds run in this process's turn, interleaved, so the machine's load falls on both alike.

    python benchmarks/site_build.py [--runs N] [--budget 1.3]

Exit status: 0 within budget, 1 over it, 2 for bad usage or a build that fails.
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


def plain_config(ours: str) -> str:
    """Our mkdocs.yml with only the search plugin: same theme, nav, features and Markdown."""
    lines = ours.splitlines()
    kept: list[str] = []
    skipping = False
    for line in lines:
        top_level = bool(line) and not line.startswith((" ", "#"))
        if top_level:
            skipping = line.startswith(("plugins:", "hooks:"))
        if skipping:
            continue
        kept.append(line)
    return "\n".join([*kept, "plugins:", "  - search", ""])


def build(config: Path, site: Path, *, strict: bool) -> float:
    # No -q: quiet mode hides warnings from the counter that makes --strict fail.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{config.name} build failed: {last}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed builds of each (default 5)")
    parser.add_argument("--budget", type=float, default=1.3, help="largest ratio allowed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        print("Error: --runs must be at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        out = Path(tmp)
        ours = ROOT / "mkdocs.yml"
        # Beside ours, so that docs_dir and custom_dir resolve the same way.
        plain = ROOT / ".site-bench-plain.yml"
        plain.write_text(plain_config(ours.read_text(encoding="utf-8")), encoding="utf-8")
        times: dict[str, list[float]] = {"ours": [], "plain": []}
        try:
            # One untimed build of each warms the file cache and Python's bytecode cache.
            build(ours, out / "ours", strict=True)
            build(plain, out / "plain", strict=False)
            for _ in range(args.runs):
                times["ours"].append(build(ours, out / "ours", strict=True))
                times["plain"].append(build(plain, out / "plain", strict=False))
        except RuntimeError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 2
        finally:
            plain.unlink(missing_ok=True)
    ours_median = statistics.median(times["ours"])
    plain_median = statistics.median(times["plain"])
    ratio = ours_median / plain_median
    verdict = "within" if ratio <= args.budget else "OVER"
    print(
        f"site build: ours {ours_median:.2f}s, plain Material {plain_median:.2f}s "
        f"(medians of {args.runs}): ratio {ratio:.2f}x, {verdict} the {args.budget}x budget"
    )
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
