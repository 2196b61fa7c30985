"""The built-HTML gate: what it refuses in a page, and how it answers on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.html_gate import main, page_problems

HEAD = (
    '<html><head><title>A page - Site</title><meta name="description" content="About it."></head>'
)


def page(body: str, head: str = HEAD) -> str:
    return f"{head}<body><h1>A page</h1>{body}</body></html>"


def test_a_clean_page_passes() -> None:
    assert (
        page_problems(page("<p>Text with <code>&lt;!-- snippetcheck: skip --&gt;</code>.</p>"))
        == []
    )


def test_a_comment_leaked_as_text_fails_but_one_shown_in_code_does_not() -> None:
    problems = page_problems(page("<p>&lt;!-- snippetcheck: postgres --&gt;</p>"))
    assert len(problems) == 1 and "HTML comment shown as text" in problems[0]
    assert page_problems(page("<pre><code>&lt;!-- a comment --&gt;</code></pre>")) == []


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (
            "<p><code>###### adr/0009-x.md:1571-1613/name { #adr/0009-x.md:1571-1613/slug }</code></p>",
            "tags-plugin placeholder",
        ),
        ("<p>Heading { #install }</p>", "attribute list left as text"),
        ("<table><tr><td>Sentinel.UNSET</td></tr></table>", "Sentinel.UNSET"),
    ],
)
def test_a_plugin_placeholder_fails_even_inside_code(body: str, what: str) -> None:
    assert any(what in problem for problem in page_problems(page(body)))


def test_a_page_needs_exactly_one_h1() -> None:
    assert "0 <h1> headings" in page_problems(f"{HEAD}<body><p>No heading</p></body>")[0]
    assert "2 <h1> headings" in page_problems(page("<h1>Again</h1>"))[0]


def test_a_page_needs_a_title_and_a_description() -> None:
    problems = page_problems(page("", head="<html><head><title> </title></head>"))
    assert [p.split(";")[0] for p in problems] == ["no <title>", "no meta description"]


def test_the_command_exits_1_and_names_each_page_with_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "index.html").write_text(page(""), encoding="utf-8")
    (tmp_path / "index.html").write_text(page("<h1>Twice</h1>"), encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "index.html: 2 <h1> headings; a page has exactly one",
        "html_gate: 1 problems in 2 pages",
    ]


def test_a_clean_site_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "index.html").write_text(page(""), encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("html_gate: 1 pages")


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_no_site_is_bad_usage_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    site = tmp_path / "site"
    if make == "empty":
        site.mkdir()
    assert main([str(site)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "build the site first" in err
