"""The messages between the runner, the worker and a page's process: typed, and strict on input."""

from __future__ import annotations

import pytest

from snippetcheck.failure import Failure
from snippetcheck.protocol import (
    Done,
    Job,
    PageDone,
    ProtocolError,
    Ready,
    SetupFailed,
    Started,
    Where,
    decode_event,
    decode_job,
    decode_worker,
    encode,
    is_page_done,
    is_setup_failed,
)

FAILURE = Failure("docs/page.md", 12, "AssertionError", "3 queries, not 1", "    12 | assert n")


def test_each_message_is_one_line_that_decodes_to_what_was_sent() -> None:
    job = Job(id=3, page="/repo/docs/page.md", shown="docs/page.md", timeout=60.0)
    assert decode_job(encode(job)) == job
    for event in (
        Started(event="start", line=7),
        Where(event="where", line=9),
        Done(event="done", failure=FAILURE.data()),
        Done(event="done", failure=None),
    ):
        line = encode(event)
        assert line.endswith("\n") and "\n" not in line[:-1]
        assert decode_event(line) == event
    for message in (
        Ready(ready=True),
        SetupFailed(error="cannot connect to PostgreSQL", kind="PostgresUnavailable"),
        PageDone(id=3, failure=FAILURE.data(), seconds=0.25),
    ):
        assert decode_worker(encode(message)) == message


def test_a_pages_failure_comes_back_as_the_page_made_it() -> None:
    # The page sends Done; the worker puts its failure in PageDone untouched; the runner reads it.
    done = decode_event(encode(Done(event="done", failure=FAILURE.data())))
    assert done["event"] == "done"
    passed_on = decode_worker(encode(PageDone(id=0, failure=done["failure"], seconds=1.0)))
    assert is_page_done(passed_on)
    assert passed_on["failure"] is not None
    assert Failure.from_data(passed_on["failure"]) == FAILURE


def test_the_kinds_of_worker_message_are_told_apart() -> None:
    ready, failed, done = (
        decode_worker('{"ready": true}'),
        decode_worker('{"error": "no settings", "kind": "SettingsNotImportable"}'),
        decode_worker('{"id": 1, "failure": null, "seconds": 0.5}'),
    )
    assert [is_page_done(m) for m in (ready, failed, done)] == [False, False, True]
    assert [is_setup_failed(m) for m in (ready, failed, done)] == [False, True, False]


@pytest.mark.parametrize(
    ("decode", "raw", "says"),
    [
        (decode_event, "not json", "not JSON"),
        (decode_event, "[1, 2]", "not a JSON object"),
        (decode_event, '{"event": "start"}', "lacks line"),
        (decode_event, '{"event": "begin", "line": 1}', "unknown page event 'begin'"),
        (decode_worker, '{"id": 1}', "lacks failure, seconds"),
        (decode_worker, '{"error": "x"}', "lacks kind"),
        (decode_job, '{"id": 1, "page": "p"}', "lacks shown, timeout"),
    ],
)
def test_a_line_outside_the_protocol_is_an_error_naming_what_is_wrong(
    decode: object, raw: str, says: str
) -> None:
    assert callable(decode)
    with pytest.raises(ProtocolError, match=says):
        decode(raw)
