"""A reader's process started warm behaves as one started cold, only sooner.

Each test starts real processes both ways, from the same folder and environment, and compares
what the reader could observe: output (tracebacks included), exit status, ``sys.argv``,
``sys.path``, ``__main__``, the environment and the working folder.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from snippetcheck.tutorial.warm_start import WarmProcess, WarmStarter

PROBE = """\
import json, os, sys, __main__
import helper
print(json.dumps({
    "argv": sys.argv,
    "path": sys.path,
    "file": __main__.__file__,
    "spec": getattr(__main__.__spec__, "name", None),
    "name": __name__,
    "cwd": os.getcwd(),
    "seen": os.environ.get("READER_VARIABLE"),
    "helper": helper.VALUE,
    "line_buffering": sys.stdout.line_buffering,
    "bytecode": sys.dont_write_bytecode,
}))
sys.stdout.flush()
print("and on stderr", file=sys.stderr)
ending = os.environ.get("PROBE_ENDS")
if ending == "raise":
    raise ValueError("the reader's mistake")
if ending == "interrupt":
    raise KeyboardInterrupt
if ending == "message":
    sys.exit("a message of exit")
if ending:
    sys.exit(int(ending))
"""
# What differs in a warm child by design: the id of the module spec's loader object.
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def environ() -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "READER_VARIABLE": "from the reader's terminal",
    }


@pytest.fixture
def starter(environ: dict[str, str]) -> Iterator[WarmStarter]:
    running = WarmStarter(environ)
    running.start()
    try:
        yield running
    finally:
        running.close()


def cold(argv: list[str], folder: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(
        argv,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return done.returncode, done.stdout


@pytest.mark.parametrize("ending", ["", "3", "raise", "interrupt", "message"])
@pytest.mark.parametrize(
    "argv", [[sys.executable, "probe.py", "arg"], [sys.executable, "-m", "probe", "arg"]]
)
def test_a_warm_child_prints_and_exits_as_a_cold_process_does(
    starter: WarmStarter, folder: Path, environ: dict[str, str], argv: list[str], ending: str
) -> None:
    env = {**environ, "PROBE_ENDS": ending}
    assert starter.serves(argv, folder, env)
    warm = starter.run(argv, cwd=folder, env=env, timeout=60)
    expected = cold(argv, folder, env)
    assert (warm[0], _ADDRESS.sub("", warm[1])) == (expected[0], _ADDRESS.sub("", expected[1]))
    assert "warm_start" not in warm[1]  # no frame of ours in a traceback


def test_pythonpath_and_the_streams_follow_the_childs_own_environment(
    starter: WarmStarter,
    folder: Path,
    environ: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    extra = tmp_path_factory.mktemp("extra")
    (extra / "sitecustomize.py").write_text(
        "import os\nos.environ['SITECUSTOMIZE_RAN'] = 'yes'\n", encoding="utf-8"
    )
    (folder / "show.py").write_text(
        "import os, sys\nprint(sys.path[1], os.environ.get('SITECUSTOMIZE_RAN'),"
        " sys.stdout.write_through, sys.dont_write_bytecode)\n",
        encoding="utf-8",
    )
    env = {
        **environ,
        "PYTHONPATH": str(extra),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    argv = [sys.executable, "show.py"]
    assert starter.run(argv, cwd=folder, env=env, timeout=60) == cold(argv, folder, env)


def test_a_module_changed_on_disk_is_read_again_by_the_next_child(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    argv = [sys.executable, "probe.py"]
    first = json.loads(starter.run(argv, cwd=folder, env=environ, timeout=60)[1].splitlines()[0])
    (folder / "helper.py").write_text("VALUE = 2\n", encoding="utf-8")
    second = json.loads(starter.run(argv, cwd=folder, env=environ, timeout=60)[1].splitlines()[0])
    assert (first["helper"], second["helper"]) == (1, 2)


def test_an_interpreter_variable_that_differs_gets_a_real_process(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    argv = [sys.executable, "probe.py"]
    assert not starter.serves(argv, folder, {**environ, "PYTHONHASHSEED": "1"})
    assert not starter.serves(argv, folder, {**environ, "PYTHONWARNINGS": "error"})
    assert not starter.serves([sys.executable, "-c", "pass"], folder, environ)
    assert not starter.serves([sys.executable, "missing.py"], folder, environ)
    process = starter.popen(
        argv, cwd=folder, env={**environ, "PYTHONHASHSEED": "1"}, stdout=subprocess.DEVNULL
    )
    assert isinstance(process, subprocess.Popen)
    assert process.wait(timeout=60) == 0


def test_children_run_side_by_side_and_each_exit_is_reported(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    (folder / "wait.py").write_text(
        "import sys, time\ntime.sleep(float(sys.argv[1]))\nsys.exit(int(sys.argv[2]))\n",
        encoding="utf-8",
    )
    slow = starter.popen([sys.executable, "wait.py", "30", "0"], cwd=folder, env=environ)
    quick = starter.popen([sys.executable, "wait.py", "0", "4"], cwd=folder, env=environ)
    assert isinstance(slow, WarmProcess) and isinstance(quick, WarmProcess)
    assert quick.wait(timeout=60) == 4
    assert slow.poll() is None  # a later child never ends an earlier one
    with pytest.raises(subprocess.TimeoutExpired):
        slow.wait(timeout=0.2)
    slow.send_signal(signal.SIGINT)
    assert slow.wait(timeout=60) == -signal.SIGINT


def test_a_command_over_its_time_is_killed_and_reported(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    (folder / "hang.py").write_text("import time\ntime.sleep(120)\n", encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        starter.run([sys.executable, "hang.py"], cwd=folder, env=environ, timeout=1)
    assert time.monotonic() - start < 30


def test_closing_the_starter_leaves_no_child_running(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    (folder / "hang.py").write_text("import time\ntime.sleep(120)\n", encoding="utf-8")
    hung = starter.popen([sys.executable, "hang.py"], cwd=folder, env=environ)
    starter.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{hung.pid}").exists():
        if Path(f"/proc/{hung.pid}/stat").read_text(encoding="utf-8").split()[2] == "Z":
            break
        time.sleep(0.05)
    stat = Path(f"/proc/{hung.pid}/stat")
    assert not stat.exists() or stat.read_text(encoding="utf-8").split()[2] == "Z"


def test_the_starter_dies_with_the_process_that_started_it(
    folder: Path, environ: dict[str, str]
) -> None:
    script = (
        "import os, sys\n"
        "from snippetcheck.tutorial.warm_start import WarmStarter\n"
        "starter = WarmStarter(dict(os.environ))\n"
        "starter.start()\n"
        "print(starter._process.pid, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def test_the_starter_holds_no_event_loop_thread_or_reactor_its_children_would_share(
    starter: WarmStarter, folder: Path, environ: dict[str, str]
) -> None:
    (folder / "state.py").write_text(
        "import sys, threading\n"
        "print(sorted(name for name in ('twisted.internet.reactor', 'asyncio.events')"
        " if name in sys.modules and (name != 'asyncio.events'"
        " or sys.modules[name]._get_running_loop() is not None)),"
        " threading.active_count(), 'twisted.internet.asyncioreactor' in sys.modules,"
        " 'django.db.models' in sys.modules)\n",
        encoding="utf-8",
    )
    code, output = starter.run([sys.executable, "state.py"], cwd=folder, env=environ, timeout=60)
    # Preloaded (so the check is about something), yet no reactor, no loop, one thread.
    assert (code, output.strip()) == (0, "[] 1 True True")


def test_an_adrtool_starter_runs_adrtool_as_a_cold_process_does(
    folder: Path, environ: dict[str, str]
) -> None:
    starter = WarmStarter(environ, preload="adrtool")
    starter.start()
    try:
        for args in (["init", "--date", "2025-01-02"], ["new", "--no-edit", "A choice"], ["list"]):
            argv = [sys.executable, "-m", "adrtool", *args]
            code, out, err = starter.run_apart(argv, cwd=folder, env=environ, timeout=60)
            assert (code, err) == (0, ""), out + err
        argv = [sys.executable, "-m", "adrtool", "list"]
        warm = starter.run_apart(argv, cwd=folder, env=environ, timeout=60)
        done = subprocess.run(
            argv, cwd=folder, env=environ, capture_output=True, encoding="utf-8", check=False
        )
        assert warm == (done.returncode, done.stdout, done.stderr)
        assert "A choice" in warm[1]
        # A mistake: exit status and the one-line error on stderr, as a cold process gives them.
        argv = [sys.executable, "-m", "adrtool", "status", "99", "accepted"]
        warm = starter.run_apart(argv, cwd=folder, env=environ, timeout=60)
        done = subprocess.run(
            argv, cwd=folder, env=environ, capture_output=True, encoding="utf-8", check=False
        )
        assert warm == (done.returncode, done.stdout, done.stderr)
        assert warm[0] != 0
    finally:
        starter.close()
