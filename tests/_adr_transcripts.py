"""Run a golden transcript of `adr` calls the way adr-tools tests itself.

A transcript is ``tests/adr_transcripts/NAME.sh``: a shell script of `adr` calls, run under
``/bin/sh -v`` (so every line is echoed before its output) in an empty folder, with a pinned
``ADR_DATE``, and ``VISUAL``/``EDITOR`` set to small scripts that say they were called. Its whole
output, stdout and stderr together, is compared with ``NAME.expected``. The same scripts run
with Debian's adr-tools in tests/test_adr_interop.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent / "adr_transcripts"
NAMES = sorted(path.stem for path in HERE.glob("*.sh"))
PINNED_DATE = "1992-01-12"
REGENERATE = "ADRTOOL_REGENERATE_GOLDEN"
# The variables of the caller's shell that would change what adr does or prints.
CLEARED = ("VISUAL", "EDITOR", "PAGER", "ADR_PAGER", "ADR_TEMPLATE", "ADR_DATE", "CDPATH")

# Each says it was called, with what, and what the record's first line is, so the transcript
# shows both that the record exists when the editor runs and that its path comes after.
RECORDER = """\
#!/bin/sh
echo "$(basename "$0") called with: $*"
head -1 "$1"
"""

OURS = f"""\
#!/bin/sh
exec "{sys.executable}" -m adrtool.adr_tools_cli "$@"
"""


@dataclass
class Transcript:
    output: str
    files: dict[str, bytes]  # every file the script left, by its path in the work folder


def run(name: str, tmp: Path, adr: str | None = None) -> Transcript:
    """Run transcript ``name`` in a new folder under ``tmp`` with ``adr`` (a path; default ours)."""
    bin_dir = tmp / "bin"
    work = tmp / "work"
    bin_dir.mkdir()
    work.mkdir()
    program = bin_dir / "adr"
    if adr is None:
        program.write_text(OURS, encoding="utf-8")
        program.chmod(0o755)
    else:
        program.symlink_to(adr)
    for recorder in ("record-visual", "record-editor"):
        path = bin_dir / recorder
        path.write_text(RECORDER, encoding="utf-8")
        path.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        HOME=str(tmp),
        LC_ALL="C.UTF-8",
        ADR_DATE=PINNED_DATE,
        VISUAL="record-visual",
        EDITOR="record-editor",
        # adrtool's upward search stops here (adr-tools has no such variable and needs none:
        # nothing above the temp folder is an ADR folder).
        ADRTOOL_CEILING_DIRECTORIES=str(tmp),
    )
    done = subprocess.run(
        ["/bin/sh", "-v", str(HERE / f"{name}.sh")],
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    files = {
        path.relative_to(work).as_posix(): path.read_bytes()
        for path in sorted(work.rglob("*"))
        if path.is_file()
    }
    return Transcript(done.stdout.replace(str(tmp), "$TMP"), files)


def expected_path(name: str) -> Path:
    return HERE / f"{name}.expected"


def adr_tools() -> str | None:
    """adr-tools' `adr` (Debian's /usr/bin/adr, or another on PATH), never the one adrtool
    installs beside this Python, which may come first on PATH."""
    ours = Path(sys.executable).parent.resolve()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        found = shutil.which("adr", path=folder) if folder else None
        if found and Path(found).resolve().parent != ours:
            head = Path(found).read_bytes()[:200]
            if b"python" not in head:  # a console script of any adrtool install
                return found
    return shutil.which("adr", path="/usr/bin")
