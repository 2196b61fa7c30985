"""The reader's browser: a real HTTP client of the page's running ``runserver``, with cookies.

The page's own address (``http://127.0.0.1:8000``) is mapped to the free port the check's server
listens on. Cookies live in a file, so the prose's URLs (fetched by the engine) and hidden code's
``reader`` (in the shell session) are one logged-in reader. Redirects are followed, as a browser
follows them; 4xx and 5xx answers are returned, not raised. ``console()`` is what the server's
terminal printed, for a page that tells the reader to look there.
"""

from __future__ import annotations

import html
import html.parser
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

_TIMEOUT = 30.0


@dataclass(frozen=True)
class Response:
    """An answer as the reader's browser got it, after redirects."""

    status: int
    url: str  # the final URL, in the page's address (port 8000), after redirects
    text: str
    headers: Mapping[str, str]

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Browser:
    """``get``, ``post`` and ``login`` as the reader does them in a browser."""

    def __init__(
        self,
        port: int,
        jar: Path,
        page_origins: tuple[str, ...] = ("http://127.0.0.1:8000", "http://localhost:8000"),
        before_request: Callable[[], None] | None = None,
        after_request: Callable[[], None] | None = None,
        console_log: Path | None = None,
    ) -> None:
        self.port = port
        self.console_log = console_log
        self.jar_path = jar
        self.page_origins = page_origins
        self.before_request = before_request
        self.after_request = after_request

    def _url(self, url: str) -> str:
        for origin in self.page_origins:
            if url.startswith(origin):
                host = urllib.parse.urlsplit(origin).hostname
                return f"http://{host}:{self.port}{url[len(origin) :]}"
        if url.startswith("/"):
            return f"http://127.0.0.1:{self.port}{url}"
        return url

    def _shown(self, url: str) -> str:
        """A URL of our server, written as the page writes it."""
        parts = urllib.parse.urlsplit(url)
        if parts.port == self.port:
            return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.hostname}:8000"))
        return url

    def _open(self, url: str, data: Mapping[str, object] | None = None) -> Response:
        jar = http.cookiejar.MozillaCookieJar(str(self.jar_path))
        if self.jar_path.exists():
            jar.load(ignore_discard=True, ignore_expires=True)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self._url(url), data=body)
        if self.before_request is not None:
            self.before_request()
        try:
            try:
                with opener.open(request, timeout=_TIMEOUT) as answer:
                    status, final, raw = answer.status, answer.url, answer.read()
                    headers = dict(answer.headers.items())
            except urllib.error.HTTPError as error:
                status, final, raw = error.code, error.url, error.read()
                headers = dict(error.headers.items())
        finally:
            if self.after_request is not None:
                self.after_request()
        jar.save(ignore_discard=True, ignore_expires=True)
        return Response(status, self._shown(final), raw.decode("utf-8", "replace"), headers)

    def _csrf(self) -> str:
        jar = http.cookiejar.MozillaCookieJar(str(self.jar_path))
        if self.jar_path.exists():
            jar.load(ignore_discard=True, ignore_expires=True)
        for cookie in jar:
            if cookie.name == "csrftoken" and cookie.value:
                return cookie.value
        raise AssertionError("no CSRF cookie yet: get() the page with the form before post()")

    def console(self) -> str:
        """What the reader's ``runserver`` terminal has printed so far, every start of it."""
        if self.console_log is None or not self.console_log.exists():
            raise AssertionError("no runserver has printed anything yet")
        return self.console_log.read_text(encoding="utf-8", errors="replace")

    def get(self, url: str) -> Response:
        """Open ``url`` (a path such as ``/admin/``, or the page's full URL)."""
        return self._open(url)

    def post(self, url: str, data: Mapping[str, object]) -> Response:
        """Submit a form to ``url`` as the browser would, with the CSRF token of its cookie."""
        return self._open(url, {"csrfmiddlewaretoken": self._csrf(), **data})

    def login(self, url: str, username: str, password: str) -> Response:
        """Fill in and send the login form at ``url``; fails unless it lets the reader in."""
        form = self.get(url)
        fields = _HiddenInputs.of(form.text)
        if not form.ok or "csrfmiddlewaretoken" not in fields:
            raise AssertionError(f"no login form at {url} (HTTP {form.status})")
        # What the browser sends: the form's hidden inputs (the token, ``next``) and the two.
        answer = self._open(form.url, {**fields, "username": username, "password": password})
        if not answer.ok or answer.path == urllib.parse.urlsplit(self._url(url)).path:
            said = re.search(r'<p class="errornote">\s*(?P<note>.*?)\s*</p>', answer.text, re.S)
            note = f": {html.unescape(' '.join(said['note'].split()))}" if said else ""
            raise AssertionError(f"logging in at {url} as {username!r} failed{note}")
        return answer


class _HiddenInputs(html.parser.HTMLParser):
    """The hidden inputs of a page's first form, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.forms = 0

    @classmethod
    def of(cls, text: str) -> dict[str, str]:
        parser = cls()
        parser.feed(text)
        return parser.fields

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms += 1
        elif tag == "input" and self.forms == 1 and found.get("type") == "hidden":
            name = found.get("name")
            if name:
                self.fields[name] = found.get("value") or ""
