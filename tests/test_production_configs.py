"""The server files of docs/how-to/run-django-without-containers.md, checked by real tools.

snippetcheck runs Python and manage.py snippets; it cannot run a server's configuration. Here each
file the page shows (found by the ``title=`` of its fence) goes to the tool that owns its format:
Debian's ``nginx -t``, ``systemd-analyze verify``, ``gunicorn --check-config`` against the test
project, and ``bash -n`` plus ``shellcheck``. The few rewrites are of absolute paths that only
exist on the reader's server, each explained where it happens.

Without a tool the test skips loudly; with REQUIRE_PRODUCTION_TOOLS=1 (set by .ci/run, which
installs them) it fails instead.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adrtool.markdown_blocks import iter_fences
from snippetcheck.extract import parse_info

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "how-to" / "run-django-without-containers.md"
TESTPROJECT = REPO / "testproject"
GUNICORN = Path(sys.executable).parent / "gunicorn"

NGINX_SITE = "/etc/nginx/sites-available/mysite"
SOCKET_UNIT = "/etc/systemd/system/mysite.socket"
SERVICE_UNIT = "/etc/systemd/system/mysite.service"
GUNICORN_CONF = "/etc/mysite/gunicorn.conf.py"
DEPLOY_SCRIPT = "/usr/local/sbin/deploy-mysite"


def fences_by_title(text: str) -> dict[str, tuple[str, str]]:
    """Every fence of the page that has a title: title -> (language, body).

    The fences are the site's (``adrtool.markdown_blocks``), as snippetcheck reads them.
    """
    found: dict[str, tuple[str, str]] = {}
    for fence in iter_fences(text):
        lang, options = parse_info(fence.info)
        if "title" in options:
            found[options["title"]] = (lang, fence.code)
    return found


FILES = fences_by_title(PAGE.read_text(encoding="utf-8"))


def shown(title: str, lang: str) -> str:
    assert title in FILES, f"{PAGE.name} no longer shows {title}"
    assert FILES[title][0] == lang, FILES[title][0]
    return FILES[title][1]


def tool(name: str, path: str | None = None) -> str:
    """The tool's path, or a loud skip (a failure when CI requires the tools)."""
    found = path if path and Path(path).exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install {name}): {PAGE.name} NOT checked"
        if os.environ.get("REQUIRE_PRODUCTION_TOOLS") == "1":
            pytest.fail(f"{message}, and REQUIRE_PRODUCTION_TOOLS=1 forbids skipping")
        pytest.skip(message)
    return found


def run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result: subprocess.CompletedProcess[str] = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    return result


def test_the_page_shows_every_server_file() -> None:
    assert shown(NGINX_SITE, "nginx")
    assert shown(SOCKET_UNIT, "ini")
    assert shown(SERVICE_UNIT, "ini")
    assert shown(GUNICORN_CONF, "python")
    assert shown(DEPLOY_SCRIPT, "bash")


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = tool("nginx", "/usr/sbin/nginx")
    site = shown(NGINX_SITE, "nginx")
    # The only rewrite: the certificate paths. certbot creates them on the server, and nginx -t
    # loads the files, so a throwaway self-signed pair takes their place here.
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    originals = {
        "/etc/letsencrypt/live/example.com/fullchain.pem": cert,
        "/etc/letsencrypt/live/example.com/privkey.pem": key,
    }
    for original, replacement in originals.items():
        assert site.count(original) == 1, original
        site = site.replace(original, str(replacement))
    openssl = tool("openssl")
    made = run(
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=example.com", "-keyout", key, "-out", cert,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    (tmp_path / "mysite").write_text(site, encoding="utf-8")
    # The page's file goes inside http {}, as Debian's nginx.conf includes sites-enabled/.
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    include {tmp_path}/mysite;\n"
        "}\n",
        encoding="utf-8",
    )
    result = run(nginx, "-t", "-q", "-p", f"{tmp_path}/", "-c", main, "-e", "stderr")
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr

    # The check has teeth: a misspelt directive fails it.
    (tmp_path / "mysite").write_text(site.replace("limit_conn ", "limit_con "), encoding="utf-8")
    broken = run(nginx, "-t", "-q", "-p", f"{tmp_path}/", "-c", main, "-e", "stderr")
    assert broken.returncode != 0 and "unknown directive" in broken.stderr, broken.stderr


def verify_units(tmp_path: Path, service: str) -> subprocess.CompletedProcess[str]:
    analyze = tool("systemd-analyze")
    units = tmp_path / "units"
    units.mkdir(exist_ok=True)
    (units / "mysite.socket").write_text(shown(SOCKET_UNIT, "ini"), encoding="utf-8")
    (units / "mysite.service").write_text(service, encoding="utf-8")
    # --man=no: verify would otherwise look up the man pages of Documentation= lines.
    return run(analyze, "verify", "--man=no", units / "mysite.socket", units / "mysite.service")


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """systemd-analyze verify parses the units offline, no running systemd needed.

    It also checks that ExecStart's program exists, and gunicorn lives in the server's
    /srv/mysite/venv. The only rewrite: that folder becomes one under tmp_path whose
    bin/gunicorn is this environment's gunicorn. Unknown keys and bad values are printed with
    exit code 0, so the test wants no output at all.
    """
    service = shown(SERVICE_UNIT, "ini")
    venv = tmp_path / "srv" / "mysite" / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "gunicorn").symlink_to(GUNICORN)
    assert service.count("/srv/mysite/venv/") == 1
    service = service.replace("/srv/mysite/venv/", f"{venv}/")
    result = verify_units(tmp_path, service)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (result.stdout + result.stderr).strip(), result.stdout + result.stderr

    # The check has teeth: a misspelt key is reported.
    typo = verify_units(tmp_path, service.replace("Restart=on-failure", "Restrat=on-failure"))
    assert "Unknown key" in typo.stdout + typo.stderr, typo.stdout + typo.stderr


def test_gunicorn_loads_its_config_and_the_app(tmp_path: Path) -> None:
    """gunicorn --check-config reads the page's file and imports its wsgi_app.

    The only rewrite: ``chdir``, the server's /srv/mysite/current, becomes a folder under
    tmp_path holding a ``mysite`` package whose ``wsgi`` module is the test project's WSGI
    application, so ``wsgi_app = "mysite.wsgi"`` is imported as written.
    """
    tool("gunicorn", str(GUNICORN))
    conf = shown(GUNICORN_CONF, "python")
    current = tmp_path / "current"
    (current / "mysite").mkdir(parents=True)
    (current / "mysite" / "__init__.py").write_text("", encoding="utf-8")
    (current / "mysite" / "wsgi.py").write_text(
        "from testproject.wsgi import application  # noqa: F401\n", encoding="utf-8"
    )
    assert conf.count('chdir = "/srv/mysite/current"') == 1
    conf = conf.replace('chdir = "/srv/mysite/current"', f"chdir = {str(current)!r}")
    (tmp_path / "gunicorn.conf.py").write_text(conf, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(TESTPROJECT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = run(
        GUNICORN, "--check-config", "-c", tmp_path / "gunicorn.conf.py", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr

    # gunicorn ignores names in its config file that are not settings: check the spelling.
    from gunicorn.config import KNOWN_SETTINGS  # type: ignore[import-untyped]

    names = {s.name for s in KNOWN_SETTINGS}
    assigned = {
        target.id
        for node in ast.parse(conf).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert assigned and assigned <= names, assigned - names

    printed = run(
        GUNICORN, "--print-config", "-c", tmp_path / "gunicorn.conf.py", cwd=tmp_path, env=env
    )
    assert printed.returncode == 0, printed.stderr
    assert re.search(r"^workers\s+= 5$", printed.stdout, re.MULTILINE), printed.stdout
    assert re.search(r"^preload_app\s+= False$", printed.stdout, re.MULTILINE), printed.stdout


def test_the_deploy_script_parses_and_passes_shellcheck(tmp_path: Path) -> None:
    script = tmp_path / "deploy-mysite"
    script.write_text(shown(DEPLOY_SCRIPT, "bash"), encoding="utf-8")
    parsed = run(tool("bash"), "-n", script)
    assert parsed.returncode == 0, parsed.stderr
    checked = run(tool("shellcheck"), "--shell=bash", "--severity=style", script)
    assert checked.returncode == 0, checked.stdout + checked.stderr
