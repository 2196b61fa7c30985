"""Start the reader's Python processes from a warm interpreter instead of a cold one.

A tutorial types ``python manage.py migrate``, ``django-admin startproject``, ``python -m
pytest`` and ``runserver`` a dozen times or more, and each cold start spends most of its
CPU time (0.45 s of 0.75 s for ``manage.py check``) importing Django again from the same files.
Here one process per tutorial, the *starter*, imports Django's modules once (never the
reader's project, its settings or its apps; never anything that starts a thread, opens a
connection or installs an event loop) and forks a child for each command. The child becomes
the reader's process: its standard streams, working folder, environment, ``sys.argv``,
``sys.path`` and ``__main__`` are set as the interpreter sets them for ``python SCRIPT`` or
``python -m MODULE``; then it runs the script and exits through the interpreter's own shutdown.
Everything the reader's code imports after that is read from disk, so a changed module is seen.

When the child could differ from a real start, a real process is started instead (``popen``
says which): an interpreter variable of the environment (``PYTHONWARNINGS``, ``PYTHONHASHSEED``
and the other ``PYTHON*`` ones that act at start-up) or the locale differs from the starter's,
the command is not ``python SCRIPT`` or ``python -m MODULE``, or the starter is not running.
ADR 0038 records the decision and what stays different (the hash seed is shared by the
children of one starter).

The starter speaks over a ``SOCK_SEQPACKET`` socket pair: a request is one JSON message
carrying the child's three standard file descriptors (``SCM_RIGHTS``); the answers are
``{"pid": N}`` for a request and ``{"exited": N, "code": C}`` when a child ends, ``C`` as
``subprocess`` reports it (negative for a signal). It ends, and kills its children, when the
socket closes or its parent dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import types
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

# Modules every reader's Django process imports before it touches the reader's code, and that
# import cleanly before settings exist. Each is best effort: an environment without one is fine.
# Not daphne.server nor twisted.internet.reactor: they install Twisted's reactor, an event loop
# forked children would share; Twisted's and Daphne's other modules import none.
PRELOAD = (
    "django.core.management",
    "django.core.management.base",
    "django.core.management.commands.migrate",
    "django.core.management.commands.makemigrations",
    "django.core.management.commands.runserver",
    "django.core.management.commands.shell",
    "django.core.management.commands.startapp",
    "django.core.management.commands.startproject",
    "django.core.management.commands.test",
    "django.core.servers.basehttp",
    "django.db.models",
    "django.db.backends.sqlite3.base",
    "django.db.backends.sqlite3.schema",
    "django.db.migrations",
    "django.db.migrations.autodetector",
    "django.db.migrations.executor",
    "django.contrib.admin",
    "django.contrib.admin.sites",
    "django.contrib.auth.hashers",
    "django.contrib.staticfiles.handlers",
    "django.contrib.postgres.fields",
    "django.forms",
    "django.template.backends.django",
    "django.template.defaulttags",
    "django.template.loader_tags",
    "django.test",
    "django.test.runner",
    "django.urls",
    "django.utils.autoreload",
    "django.views.generic",
    "psycopg",
    "pytest",
    "_pytest.python",
    "_pytest.assertion.rewrite",
    "httpx",
    "asgiref.sync",
    "twisted.internet.asyncioreactor",
    "twisted.internet.endpoints",
    "twisted.internet.tcp",
    "twisted.web.http",
    "autobahn.twisted.websocket",
    "daphne.access",
    "daphne.endpoints",
    "daphne.http_protocol",
    "daphne.ws_protocol",
)
# adrtool's command lines: click and the modules every command imports. A page that runs adrtool
# forty times needs nothing of Django.
PRELOAD_ADRTOOL = (
    "click",
    "adrtool.cli",
    "adrtool.adr_tools_cli",
    "adrtool.operations",
    "adrtool.index",
    "adrtool.check",
    "adrtool.listing",
)
PRELOADS = {"django": PRELOAD + PRELOAD_ADRTOOL, "adrtool": PRELOAD_ADRTOOL}
# Read by the interpreter as it starts, so a child of the starter would not honour a change of
# them. PYTHONPATH, PYTHONUNBUFFERED and PYTHONDONTWRITEBYTECODE are applied in the child.
_APPLIED = frozenset({"PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"})
_LOCALE = ("LANG", "LC_ALL", "LC_CTYPE")
_PR_SET_PDEATHSIG = 1
_MESSAGE = 65536


def startup_environ(env: Mapping[str, str]) -> dict[str, str]:
    """What of ``env`` acts when an interpreter starts, apart from what the child applies."""
    return {
        key: value
        for key, value in env.items()
        if (key.startswith("PYTHON") and key not in _APPLIED) or key in _LOCALE
    }


class WarmProcess:
    """A child of the starter, with the part of ``subprocess.Popen`` the check uses."""

    def __init__(self, starter: WarmStarter, pid: int, args: Sequence[str]) -> None:
        self._starter = starter
        self.pid = pid
        self.args = list(args)
        self.returncode: int | None = None
        self.stdin: IO[str] | None = None
        self.stdout: IO[str] | None = None
        self.stderr: IO[str] | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._starter._exit_of(self.pid, 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            code = self._starter._exit_of(self.pid, timeout)
            if code is None:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self.returncode = code
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _script(name: str, cwd: Path) -> bool:
    """Whether ``python NAME`` runs a script file (not an option, a folder or a missing file)."""
    return not name.startswith("-") and (cwd / name).is_file()


def _stream_fd(target: Any, default: int) -> tuple[int, bool]:
    """A file descriptor for a child's stream, and whether we opened it (and so close it)."""
    if target is None:
        return default, False
    if target == subprocess.DEVNULL:
        return os.open(os.devnull, os.O_RDWR), True
    if isinstance(target, int):
        return target, False
    return target.fileno(), False


class WarmStarter:
    """The check's side of the starter: start it, ask it for processes, learn their exits."""

    def __init__(self, env: Mapping[str, str], preload: str = "django") -> None:
        self._env = dict(env)
        self._preload = preload
        self._startup = startup_environ(env)
        self._socket: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._exits: dict[int, int] = {}
        self._pending: list[dict[str, Any]] = []

    def start(self) -> None:
        """Start the starter; it imports Django while the page goes on."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {k: v for k, v in self._env.items() if k not in _APPLIED}
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "snippetcheck.tutorial.warm_start",
                    str(theirs.fileno()),
                    self._preload,
                ],
                env=env,
                cwd="/",
                stdin=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
            )
        except OSError:
            ours.close()
            return
        finally:
            theirs.close()
        self._socket = ours

    def serves(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> bool:
        """Whether a child of the starter would start as ``argv`` would on its own."""
        return (
            self._socket is not None
            and len(argv) >= 2
            and argv[0] == sys.executable
            and ((argv[1] == "-m" and len(argv) >= 3) or _script(argv[1], cwd))
            and startup_environ(env) == self._startup
        )

    def popen(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        stdin: Any = None,
        stdout: Any = None,
        stderr: Any = None,
        text: bool = True,
    ) -> WarmProcess | subprocess.Popen[Any]:
        """``subprocess.Popen`` of ``argv``: a child of the starter where it serves it."""
        if not self.serves(argv, cwd, env):
            return subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env),
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                text=text,
                encoding="utf-8" if text else None,
            )
        ends: list[IO[Any]] = []
        closing: list[int] = []
        fds = []
        for target, default, mode in ((stdin, 0, "w"), (stdout, 1, "r"), (stderr, 2, "r")):
            if target == subprocess.PIPE:
                read, write = os.pipe()
                mine, child = (write, read) if mode == "w" else (read, write)
                ends.append(
                    os.fdopen(mine, mode, encoding="utf-8") if text else os.fdopen(mine, mode + "b")
                )
                fds.append(child)
                closing.append(child)
            elif target == subprocess.STDOUT:
                fds.append(fds[1])
                ends.append(None)  # type: ignore[arg-type]
            else:
                fd, opened = _stream_fd(target, default)
                fds.append(fd)
                ends.append(None)  # type: ignore[arg-type]
                if opened:
                    closing.append(fd)
        request = {"argv": list(argv[1:]), "cwd": str(cwd), "env": dict(env)}
        assert self._socket is not None
        try:
            socket.send_fds(self._socket, [json.dumps(request).encode()], fds)
            pid = self._read_pid()
        finally:
            for fd in closing:
                os.close(fd)
        process = WarmProcess(self, pid, argv)
        process.stdin, process.stdout, process.stderr = ends
        return process

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> tuple[int, str]:
        """Run ``argv`` to its end, stdin empty, stdout and stderr together: (code, output)."""
        code, output, _ = self.run_apart(argv, cwd=cwd, env=env, timeout=timeout, merge=True)
        return code, output

    def run_apart(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        timeout: float,
        merge: bool = False,
    ) -> tuple[int, str, str]:
        """Run ``argv`` to its end, stdin empty: (code, stdout, stderr); stderr is empty when
        ``merge`` puts it in stdout."""
        process = self.popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge else subprocess.PIPE,
        )
        if isinstance(process, subprocess.Popen):
            try:
                out, err = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise
            return process.returncode, out or "", err or ""
        streams = [stream for stream in (process.stdout, process.stderr) if stream is not None]
        deadline = time.monotonic() + timeout
        fds = [stream.fileno() for stream in streams]
        chunks: dict[int, list[bytes]] = {fd: [] for fd in fds}
        open_fds = set(fds)
        try:
            while open_fds:
                left = deadline - time.monotonic()
                ready = select.select(list(open_fds), [], [], left)[0] if left > 0 else []
                if not ready:
                    process.kill()
                    process.wait()
                    raise subprocess.TimeoutExpired(list(argv), timeout)
                for fd in ready:
                    chunk = os.read(fd, 65536)
                    if chunk:
                        chunks[fd].append(chunk)
                    else:
                        open_fds.discard(fd)
        finally:
            for stream in streams:
                stream.close()
        code = process.wait(max(deadline - time.monotonic(), 0.0) + 5.0)
        texts = [b"".join(chunks[fd]).decode("utf-8", "replace") for fd in fds]
        return code, texts[0], texts[1] if len(texts) > 1 else ""

    def _receive(self, timeout: float | None) -> bool:
        """Take one answer into our books; False when none came within ``timeout``."""
        assert self._socket is not None
        ready = select.select([self._socket], [], [], timeout)[0]
        if not ready:
            return False
        raw = self._socket.recv(_MESSAGE)
        if not raw:
            raise OSError("the warm starter ended")
        message = json.loads(raw)
        if "exited" in message:
            self._exits[int(message["exited"])] = int(message["code"])
        else:
            self._pending.append(message)
        return True

    def _read_pid(self) -> int:
        while not self._pending:
            self._receive(None)
        message = self._pending.pop(0)
        if "error" in message:
            raise OSError(message["error"])
        return int(message["pid"])

    def _exit_of(self, pid: int, timeout: float | None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while pid not in self._exits:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not self._receive(left) and (deadline is None or time.monotonic() >= deadline):
                return None
        return self._exits[pid]

    def close(self) -> None:
        """End the starter; it kills children still running."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._process is not None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


# The starter's own side: it runs as ``python -m snippetcheck.tutorial.warm_start FD``.


def _preload(names: Sequence[str]) -> None:
    # Warnings of these imports (autobahn's EncodingWarning under PYTHONWARNDEFAULTENCODING) are
    # the libraries', printed by no command of the reader's: they would land in every output.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def _end_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _serve(control: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """Answer requests until one is to be run; in the child, return it. None: time to end."""
    wake_read, wake_write = socket.socketpair()
    wake_read.setblocking(False)
    wake_write.setblocking(False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake_write.fileno(), warn_on_full_buffer=False)
    children: set[int] = set()
    while True:
        ready = select.select([control, wake_read], [], [])[0]
        if wake_read in ready:
            with contextlib.suppress(BlockingIOError):
                wake_read.recv(4096)
        for pid in list(children):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                children.discard(pid)
                code = os.waitstatus_to_exitcode(status)
                with contextlib.suppress(OSError):
                    control.send(json.dumps({"exited": pid, "code": code}).encode())
        if control not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(control, _MESSAGE, 3)
        except OSError:
            data, fds = b"", []
        if not data:  # the check closed its end, or died: nothing of ours outlives it
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return None
        request = json.loads(data)
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            wake_read.close()
            wake_write.close()
            return request, fds
        children.add(pid)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def _streams(fds: list[int], env: Mapping[str, str]) -> None:
    """Standard streams on the given descriptors, made as the interpreter makes them."""
    for number, fd in enumerate(fds):
        if fd != number:
            os.dup2(fd, number)
    for fd in set(fds):
        if fd > 2:
            os.close(fd)
    unbuffered = bool(env.get("PYTHONUNBUFFERED"))
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    made = []
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        tty = os.isatty(number)
        mode = "rb" if number == 0 else "wb"
        # As ``-u`` (PYTHONUNBUFFERED) makes them: the binary layer of stdout and stderr unbuffered.
        raw = unbuffered and number != 0
        buffer: Any = open(number, mode, buffering=0 if raw else -1, closefd=False)  # noqa: SIM115
        stream = io.TextIOWrapper(
            buffer,
            encoding=encoding,
            errors="backslashreplace" if number == 2 else errors,
            line_buffering=tty or number == 2,
            write_through=unbuffered and number != 0,
        )
        made.append((name, stream))
    for name, stream in made:
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _path0(argv: list[str], cwd: str) -> str:
    if argv[0] == "-m":
        return cwd
    return str(Path(cwd, argv[0]).resolve().parent)  # the script's folder, links resolved


def _become(request: dict[str, Any], fds: list[int], base_path: list[str]) -> list[str]:
    """Make this child the process the request names; its argv."""
    env: dict[str, str] = request["env"]
    argv: list[str] = request["argv"]
    _streams(fds, env)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(env)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    extra = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    sys.path[:] = [_path0(argv, request["cwd"]), *extra, *base_path]
    importlib.invalidate_caches()
    sys.path_importer_cache.clear()
    if extra:
        sys.modules.pop("sitecustomize", None)
        with contextlib.suppress(ImportError):
            importlib.import_module("sitecustomize")
    while _AUTORELOADERS:
        _fork_spares(_AUTORELOADERS.pop())
    return argv


def _trimmed(error: BaseException) -> types.TracebackType | None:
    """The traceback of ``error`` without this module's frames, as a real start prints it.

    The interpreter prints an exception's own ``__traceback__``, so it is replaced too.
    """
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    error.__traceback__ = tb
    return tb


def _run(argv: list[str]) -> int:
    """Run the reader's script or module as ``__main__``; the exit status it asks for."""
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    try:
        if argv[0] == "-m":
            sys.argv = ["-m", *argv[2:]]
            runpy = importlib.import_module("runpy")
            runpy._run_module_as_main(argv[1], alter_argv=True)  # what `python -m` calls
        else:
            sys.argv = list(argv)
            path = os.path.abspath(argv[0])  # noqa: PTH100 - the interpreter's own rule
            source = Path(path).read_bytes()
            main.__dict__.update(__file__=path, __cached__=None, __builtins__=__builtins__)
            exec(compile(source, path, "exec"), main.__dict__)  # the reader's script
    except SystemExit as exit:
        return _exit_status(exit.code)
    except KeyboardInterrupt as error:
        sys.excepthook(type(error), error, _trimmed(error))
        return -signal.SIGINT
    except BaseException as error:  # printed as the interpreter prints it
        sys.excepthook(type(error), error, _trimmed(error))
        return 1
    return 0


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` ends an interpreter with (its message printed)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        print(code, file=sys.stderr)
    return 1


def _exit(status: int) -> None:
    """End as the interpreter ends: threads joined, atexit functions run, streams flushed.

    What it skips is the teardown of every module, which in a child of the starter touches
    each of the starter's thousand modules (a third of a second of copy-on-write faults) and
    runs nothing of the reader's. A KeyboardInterrupt ends the process by SIGINT, as CPython does.
    """
    threading = sys.modules.get("threading")
    if threading is not None:
        with contextlib.suppress(Exception):
            threading._shutdown()
    importlib.import_module("atexit")._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if status == -signal.SIGINT:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(status)


# The autoreloader's children. ``runserver`` runs the server in a child process and starts a new
# one after each change it notices; started cold, each costs the reader's server its whole import
# again (2.5 s of CPU with Daphne). In a runserver that is itself a child of the starter, the
# reloader-clock ``sitecustomize`` calls ``serve_reloader_children`` while nothing of the
# reader's project is imported yet: it forks a *spare* then, and each restart hands the
# spare the child's command line instead of starting a process. A spare, when told to run,
# first forks the next spare (still clean), then becomes the server. The runserver process is a
# child subreaper, so the next spare becomes its child when the one before ends: every server
# child is a child of runserver, as with Django's own restarts, and a spare left alone ends
# when runserver does (its request pipe closes).

_PR_SET_CHILD_SUBREAPER = 36


def _read_line(fd: int) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 65536)
        if not chunk:
            return b""
        data += chunk
    return data


def _spare(requests: int, births: int) -> None:
    """A clean child waiting for its command line; returns only in the server it becomes."""
    while True:
        raw = _read_line(requests)
        if not raw:
            os._exit(0)  # runserver ended before it needed us
        following = os.fork()
        if following == 0:
            continue  # the next spare: wait for the next restart
        os.write(births, f"{following}\n".encode())
        os.close(requests)
        os.close(births)
        request = json.loads(raw)
        os.environ.clear()
        os.environ.update(request["env"])
        _exit(_run(request["argv"]))


_AUTORELOADERS: list[types.ModuleType] = []


def serve_reloader_children(autoreload: types.ModuleType) -> None:
    """In a warm ``runserver``: serve the autoreloader's restarts from clean spares.

    Called from a ``sitecustomize``; the spare is forked once that import is over (a child
    forked inside an import would hold its lock for ever).
    """
    _AUTORELOADERS.append(autoreload)


def _fork_spares(autoreload: types.ModuleType) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        return
    requests_read, requests_write = os.pipe()
    births_read, births_write = os.pipe()
    spare: int | None = os.fork()
    if spare == 0:
        os.close(requests_write)
        os.close(births_read)
        _spare(requests_read, births_write)
        return
    os.close(requests_read)
    os.close(births_write)

    def restart_with_reloader() -> int:
        nonlocal spare
        environ = {**os.environ, autoreload.DJANGO_AUTORELOAD_ENV: "true"}
        args = [str(arg) for arg in autoreload.get_child_arguments()]
        if spare is not None and args[:2] != [sys.executable, sys.argv[0]]:
            # Interpreter options or -m: Django's own way, and no spare beside its child.
            os.kill(spare, signal.SIGKILL)
            os.waitpid(spare, 0)
            spare = None
        while True:
            if spare is None:
                code = subprocess.run(args, env=environ, close_fds=False, check=False).returncode
            else:
                request = {"argv": args[1:], "env": environ}
                os.write(requests_write, json.dumps(request).encode() + b"\n")
                code = os.waitstatus_to_exitcode(os.waitpid(spare, 0)[1])
                born = _read_line(births_read)
                spare = int(born) if born else None
            if code != 3:
                return code

    setattr(autoreload, "restart_with_reloader", restart_with_reloader)  # noqa: B010


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    control = socket.socket(fileno=int(args[0]))
    _end_with_parent()
    base_path = list(sys.path[1:])  # without the starter's own first entry
    # Imported again by name in a child (the reloader clock asks for serve_reloader_children),
    # it is this module, not a second copy of it.
    sys.modules.setdefault("snippetcheck.tutorial.warm_start", sys.modules[__name__])
    _preload(PRELOADS[args[1] if len(args) > 1 else "django"])
    # What the starter imported is never garbage: kept out of the collector's sight, the
    # children's collections do not touch (and so copy) the starter's memory.
    gc.collect()
    gc.freeze()
    chosen = _serve(control)
    if chosen is None:
        return
    request, fds = chosen
    _exit(_run(_become(request, fds, base_path)))


if __name__ == "__main__":
    main()
