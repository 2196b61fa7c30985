"""The reader's runserver under the check: its autoreloader looks when the check asks (else every
second, as Django's), notes each look, and the check waits for the look it needs, not for a
guessed time.

Real processes: a stock ``startproject`` project and its ``runserver``, on a free port, started
both ways the check starts it: cold, and from the warm starter (whose restarts come from spares).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from snippetcheck.tutorial import processes
from snippetcheck.tutorial.processes import RELOADER_CLOCK, ProcessFailed, Server, free_port
from snippetcheck.tutorial.warm_start import WarmProcess, WarmStarter


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reader")
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(folder)],
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    )
    return folder


@pytest.fixture(params=["cold", "warm"])
def server(project: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTHONPATH"))}
    starter = WarmStarter(env)
    if request.param == "warm":
        starter.start()
    running = Server(
        ["runserver", f"127.0.0.1:{port}"],
        project,
        env,
        port,
        tmp_path / "rs.log",
        starter=starter if request.param == "warm" else None,
    )
    assert isinstance(running.process, WarmProcess) == (request.param == "warm")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()
        starter.close()


def child_of(server: Server) -> int:
    (child,) = processes._children(server.process.pid)
    return child


def looks_by(server: Server, pid: int) -> int:
    return server.looks.read_bytes().split().count(str(pid).encode())


def test_the_autoreloader_notes_its_looks_and_settles_an_unwatched_module_without_a_restart(
    server: Server, project: Path
) -> None:
    server.before_change()  # returns once the running server has looked twice
    child = child_of(server)
    assert looks_by(server, child) >= 2
    # A module nothing imported: the server does not watch it, so no restart follows its change,
    # and the check knows that from two looks instead of waiting out a window.
    (project / "mysite" / "unused.py").write_text("A = 1\n", encoding="utf-8")
    server.before_change()
    (project / "mysite" / "unused.py").write_text("A = 2\n", encoding="utf-8")
    server.file_changed()
    mark = len(server.looks.read_bytes())
    server.settle()
    assert child_of(server) == child, "the server restarted for a module it never imported"
    assert server.looks.read_bytes()[mark:].split().count(str(child).encode()) >= 2
    assert " changed, reloading." not in server.output()


def test_a_changed_module_the_server_imported_restarts_it_before_settle_returns(
    server: Server, project: Path
) -> None:
    urls = project / "mysite" / "urls.py"
    before = child_of(server)
    server.before_change()
    urls.write_text(urls.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    server.file_changed()
    server.settle()
    assert "mysite/urls.py changed, reloading." in server.output()
    assert child_of(server) != before
    assert server.output().count("Quit the server with") == 2
    # The new server child read the changed module: a second change restarts it again.
    server.before_change()
    urls.write_text(urls.read_text(encoding="utf-8") + "\n# changed again\n", encoding="utf-8")
    server.file_changed()
    server.settle()
    assert server.output().count("Quit the server with") == 3


def test_a_restarted_server_serves_the_changed_code(server: Server, project: Path) -> None:
    """The server child after a restart imports the reader's changed module, not a stale copy."""
    urls = project / "mysite" / "urls.py"
    views = project / "mysite" / "views.py"
    views.write_text(
        "from django.http import HttpResponse\n\ndef hello(request):\n"
        "    return HttpResponse('first')\n",
        encoding="utf-8",
    )
    original = urls.read_text(encoding="utf-8")
    try:
        server.before_change()
        urls.write_text(
            "from django.urls import path\nfrom mysite import views\n"
            "urlpatterns = [path('hello/', views.hello)]\n",
            encoding="utf-8",
        )
        server.file_changed()
        server.settle()
        assert _get(server.port, "/hello/") == "first"
        server.before_change()
        views.write_text(
            views.read_text(encoding="utf-8").replace("first", "second"), encoding="utf-8"
        )
        server.file_changed()
        server.settle()
        assert _get(server.port, "/hello/") == "second"
    finally:
        urls.write_text(original, encoding="utf-8")
        views.unlink()


def _get(port: int, path: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        return str(answer.read().decode("utf-8"))


def test_an_autoreloader_that_stops_looking_fails_with_a_message_not_a_hang(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(processes, "LOOK_TIMEOUT", 1.0)
    child = child_of(server)
    os.kill(child, signal.SIGSTOP)
    try:
        server.file_changed()
        with pytest.raises(
            ProcessFailed, match="autoreloader did not look at the files within 1 s"
        ):
            server.settle()
    finally:
        os.kill(child, signal.SIGCONT)


def test_a_sitecustomize_of_the_readers_environment_still_runs(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "sitecustomize.py").write_text(
        "import pathlib\npathlib.Path(__file__).with_name('ran').write_text('yes', encoding='utf-8')\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(RELOADER_CLOCK), str(theirs)]),
        "SNIPPETCHECK_RELOADER_LOOKS": str(tmp_path / "looks"),
    }
    done = subprocess.run(
        [sys.executable, "-c", "import sitecustomize; print(sitecustomize.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert (theirs / "ran").read_text(encoding="utf-8") == "yes"
    assert done.stdout.strip() == str(theirs / "sitecustomize.py")
