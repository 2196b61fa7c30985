"""The offline link checker finds what a reader would trip over, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.linkcheck import SiteChecker, main


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    return [f"{p.page} {p.url} {p.reason}" for p in SiteChecker(root).check()[1]]


def test_links_between_pages_and_to_anchors_resolve(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="guide/">guide</a> <a href="guide/#step-2">step</a>'
            ' <a href="#top">top</a> <h1 id="top">x</h1>',
            "guide/index.html": '<h2 id="step-2">Step</h2> <a href="../">home</a>'
            ' <a href="/index.html#top">root-absolute</a> <img src="../img/a.png">',
            "img/a.png": "",
        },
    )
    assert problems(site) == []


def test_a_missing_page_is_reported_with_its_line(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"index.html": '<a href="nowhere/">x</a>'})
    _, found = SiteChecker(site).check()
    assert [(p.page, p.url, p.line) for p in found] == [("index.html", "nowhere/", 1)]
    assert "no such file" in found[0].reason


def test_a_missing_anchor_on_another_page_is_reported(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"index.html": '<a href="b.html#gone">x</a>', "b.html": '<p id="here">b</p>'},
    )
    assert problems(site) == ["index.html b.html#gone no element with id 'gone' in b.html"]


def test_raw_html_links_count_like_any_other(tmp_path: Path) -> None:
    # Links written as raw HTML in Markdown never pass MkDocs' validation; here they do count.
    site = write_site(
        tmp_path,
        {
            "index.html": '<div class="grid"><area href="map.html">'
            '<source srcset="a.webp 1x, b.webp 2x"></div>',
            "a.webp": "",
        },
    )
    assert sorted(problems(site)) == [
        "index.html b.webp no such file in the built site",
        "index.html map.html no such file in the built site",
    ]


def test_percent_encoded_anchors_and_named_anchors_resolve(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="#tag%3Aadmin">t</a><a href="#old">o</a>'
            '<h2 id="tag:admin">A</h2><a name="old"></a>'
        },
    )
    assert problems(site) == []


def test_outbound_links_are_fine_but_assets_from_other_hosts_are_not(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="https://www.youtube.com/watch?v=x">video</a>'
            '<a href="mailto:a@example.org">mail</a><img src="data:image/png;base64,AA">'
            '<link rel="canonical" href="https://example.org/">'
            '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
            '<link rel="stylesheet" href="//fonts.example.com/css">',
        },
    )
    found = problems(site)
    assert len(found) == 2
    assert all("another host" in line for line in found)


def test_a_link_climbing_out_of_the_site_is_broken(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"index.html": '<a href="../../etc/passwd">x</a>'})
    assert problems(site) == ["index.html ../../etc/passwd points outside the site"]


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_site(tmp_path / "good", {"index.html": '<a href="#a" id="a">x</a>'})
    bad = write_site(tmp_path / "bad", {"index.html": '<a href="gone.html">x</a>'})
    assert main([str(good)]) == 0
    assert "none broken" in capsys.readouterr().out
    assert main([str(bad)]) == 1
    assert "1 broken of 1 links" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 2  # one line per failed call
