"""Stopped midway (SIGTERM from pre-commit or CI), the check leaves no page process or server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from .conftest import PROJECT

HANGS = """<!-- snippetcheck: postgres -->

```python
import os
import time
from django.db import connection

with open(os.environ["PAGE_REPORT"], "w", encoding="utf-8") as report:
    report.write(f"{os.getpid()} {connection.settings_dict['HOST']}")
while True: time.sleep(0.05)
```
"""


def test_sigterm_stops_the_pages_and_postgres_and_exits_130(tmp_path: Path) -> None:
    page = tmp_path / "hangs.md"
    page.write_text(HANGS, encoding="utf-8")
    report = tmp_path / "report.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPETCHECK_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "snippetcheck", "--project", str(PROJECT), str(page)],
        env={**env, "PAGE_REPORT": str(report)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 60
    while not report.exists() or not report.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the page never started"
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    pid, socket_dir = report.read_text(encoding="utf-8").split()
    assert psutil.pid_exists(int(pid))
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, out + err
    assert err == "snippetcheck: interrupted\n"
    page_process_gone = not psutil.pid_exists(int(pid)) or (
        psutil.Process(int(pid)).status() == psutil.STATUS_ZOMBIE
    )
    assert page_process_gone
    assert not Path(socket_dir).exists()  # the embedded server's folder, removed with it
