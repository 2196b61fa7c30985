"""The messages between snippetcheck's three processes: one JSON object per line, typed here.

* runner -> worker (the worker's stdin): for PostgreSQL, first a ``ServerLine`` naming the
  server the runner started; then one ``Job`` per page.
* worker -> runner (the worker's stdout): ``Ready`` once Django is set up, or ``SetupFailed``;
  then one ``PageDone`` per job, in the order pages finish.
* page process -> worker (a pipe per page): ``Started`` before each snippet, ``Where`` when the
  worker asks a page over its time limit what line it runs, and ``Done`` last. A page that ends
  without ``Done`` crashed, and the worker reports the last line it knew.

The page's failure travels as it was made: the worker passes the page's ``Done`` failure on in
its ``PageDone`` unchanged, and only the runner turns it back into a ``Failure``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal, TypedDict, TypeGuard

from snippetcheck.failure import FailureData


class ProtocolError(Exception):
    """A line that is not a message of this protocol: a bug of ours, not of a page."""


class ServerLine(TypedDict):
    server: dict[str, Any]  # postgres.Server's fields


class Job(TypedDict):
    id: int
    page: str  # the page's file, absolute
    shown: str  # the page as messages name it (docs/how-to/page.md)
    timeout: float


class Ready(TypedDict):
    ready: Literal[True]


class SetupFailed(TypedDict):
    error: str
    kind: str  # the exception's class name: PostgresUnavailable, SettingsNotImportable, ...


class PageDone(TypedDict):
    id: int
    failure: FailureData | None
    seconds: float  # from the page's fork to its end


class Started(TypedDict):
    event: Literal["start"]
    line: int


class Where(TypedDict):
    event: Literal["where"]
    line: int


class Done(TypedDict):
    event: Literal["done"]
    failure: FailureData | None


WorkerMessage = Ready | SetupFailed | PageDone
PageEvent = Started | Where | Done
# How a page process reports (django_project and the tutorial engine call it).
Report = Callable[[PageEvent], None]


def encode(message: ServerLine | Job | WorkerMessage | PageEvent) -> str:
    return json.dumps(message) + "\n"


def _object(raw: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise ProtocolError(f"not JSON: {raw[:80]!r}") from error
    if not isinstance(data, dict):
        raise ProtocolError(f"not a JSON object: {raw[:80]!r}")
    return data


def _has(data: dict[str, Any], *keys: str) -> None:
    missing = [key for key in keys if key not in data]
    if missing:
        raise ProtocolError(f"message {sorted(data)} lacks {', '.join(missing)}")


def decode_job(raw: str | bytes) -> Job:
    data = _object(raw)
    _has(data, "id", "page", "shown", "timeout")
    return Job(
        id=int(data["id"]),
        page=str(data["page"]),
        shown=str(data["shown"]),
        timeout=float(data["timeout"]),
    )


def decode_server(raw: str | bytes) -> ServerLine:
    data = _object(raw)
    _has(data, "server")
    return ServerLine(server=dict(data["server"]))


def decode_worker(raw: str | bytes) -> WorkerMessage:
    data = _object(raw)
    if data.get("ready") is True:
        return Ready(ready=True)
    if "error" in data:
        _has(data, "kind")
        return SetupFailed(error=str(data["error"]), kind=str(data["kind"]))
    _has(data, "id", "failure", "seconds")
    return PageDone(id=int(data["id"]), failure=data["failure"], seconds=float(data["seconds"]))


def decode_event(raw: str | bytes) -> PageEvent:
    data = _object(raw)
    _has(data, "event")
    if data["event"] == "start":
        _has(data, "line")
        return Started(event="start", line=int(data["line"]))
    if data["event"] == "where":
        _has(data, "line")
        return Where(event="where", line=int(data["line"]))
    if data["event"] == "done":
        _has(data, "failure")
        return Done(event="done", failure=data["failure"])
    raise ProtocolError(f"unknown page event {data['event']!r}")


def is_page_done(message: WorkerMessage) -> TypeGuard[PageDone]:
    return "id" in message


def is_setup_failed(message: WorkerMessage) -> TypeGuard[SetupFailed]:
    return "error" in message
