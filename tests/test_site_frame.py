"""The site's frame: the talk facts agree everywhere, and a page's credits reach the talks page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.last_updated import parse_log, read_dates

ROOT = Path(__file__).resolve().parent.parent
SEED_TALKS = ROOT.parent / "shared" / "seed" / "talks.md"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without importing what its !!python/name tags point at."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


# `!ENV [NAME, default]`, as MkDocs reads it: the variable's value, else the default.
def _environment_value(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.SequenceNode)
    *names, default = loader.construct_sequence(node)
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _environment_value)


def load_config() -> dict[str, Any]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.load(text, Loader=_ConfigLoader)
    return config


def plugin(config: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in config["plugins"]:
        if isinstance(entry, dict) and name in entry:
            settings: dict[str, Any] = entry[name]
            return settings
    raise AssertionError(f"plugin {name} is not configured")


def test_every_talk_slug_is_an_allowed_tag_and_nothing_else_is() -> None:
    config = load_config()
    assert list(config["extra"]["talks"]) == plugin(config, "tags")["tags_allowed"]
    assert len(config["extra"]["talks"]) == 15


def test_the_talks_page_has_every_talk_with_its_facts_and_page_list() -> None:
    talks = load_config()["extra"]["talks"]
    page = (ROOT / "docs" / "reference" / "talks.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+) \{#([a-z-]+)\}$", page, flags=re.MULTILINE)
    assert [slug for _, slug in headings] == list(talks)
    sections = re.split(r"^### ", page, flags=re.MULTILINE)[1:]
    for (title, slug), section in zip(headings, sections, strict=True):
        talk = talks[slug]
        assert title == talk["title"]
        assert talk["speaker"] in section
        assert f"https://www.youtube.com/watch?v={talk['video']}" in section
        assert f"<!-- material/tags {{ include: [{slug}] }} -->" in section
    # Each talk sits under the heading of the day it was given.
    day = None
    for line in page.splitlines():
        if line.startswith("## "):
            day = line[3:]
        elif match := re.match(r"^### .+ \{#([a-z-]+)\}$", line):
            assert talks[match[1]]["day"] == day


def test_the_talk_facts_match_the_seed() -> None:
    if not SEED_TALKS.is_file():
        # CI always has shared/ beside the clone; elsewhere a clone may not.
        if os.environ.get("CI"):
            pytest.fail(f"{SEED_TALKS} is missing, and CI must check the talk facts against it")
        pytest.skip("the seed facts live in ../shared/seed, which this checkout lacks")
    seed = SEED_TALKS.read_text(encoding="utf-8")
    rows = [
        line.split(" | ") for line in seed.splitlines() if line.startswith("| ") and "|" in line
    ]
    seed_by_video = {row[-1].strip(" |"): row for row in rows[2:]}
    talks = load_config()["extra"]["talks"]
    assert len(seed_by_video) == 15
    for talk in talks.values():
        row = seed_by_video[talk["video"]]
        assert row[1] == talk["title"]
        assert row[2].startswith(talk["speaker"])
        assert row[0].strip("| ").split()[-1] in talk["day"]


def build_site(
    tmp_path: Path, pages: dict[str, str], nav_extra: str, *, zensical: bool = False
) -> subprocess.CompletedProcess[str]:
    """Build a copy of the real site with extra content pages added to the nav."""
    for name in ("docs", "overrides", "tools", "adrtool"):
        shutil.copytree(ROOT / name, tmp_path / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      - how-to/index.md\n", f"      - how-to/index.md\n{nav_extra}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    # No -q for MkDocs: quiet mode hides warnings from the counter that makes --strict fail.
    command = ["mkdocs", "build", "--strict", "-d", "site"]
    if zensical:  # builds into the site_dir of mkdocs.yml, "site" by default
        command = ["zensical", "build", "--strict", "-f", "mkdocs.yml"]
    return subprocess.run(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


def test_a_content_page_credits_its_talks_and_the_talks_page_lists_it(tmp_path: Path) -> None:
    page = "---\ntalks: [admin-oyster, full-text-search]\n---\n\n# Speed up admin search\n\nText.\n"
    result = build_site(
        tmp_path, {"how-to/admin-search.md": page}, "      - how-to/admin-search.md\n"
    )
    assert result.returncode == 0, result.stderr
    built = (tmp_path / "site" / "how-to" / "admin-search" / "index.html").read_text("utf-8")
    credits = built[built.index('class="talk-credits"') :]
    assert "The Django Admin Is Your Oyster" in credits
    assert 'href="../../reference/talks/#admin-oyster"' in credits
    assert "https://www.youtube.com/watch?v=lnC9FUmQu7E" in credits  # the second talk
    assert 'class="md-tag"' in built  # and the talk tags, linking to the lists
    talks = (tmp_path / "site" / "reference" / "talks" / "index.html").read_text("utf-8")
    oyster = talks[talks.index('id="admin-oyster"') : talks.index('id="documenting-django"')]
    assert 'href="../../how-to/admin-search/"' in oyster
    untouched = talks[talks.index('id="documenting-django"') : talks.index('id="no-containers"')]
    assert "admin-search" not in untouched
    index = (tmp_path / "site" / "reference" / "tags" / "index.html").read_text("utf-8")
    assert 'id="tag:full-text-search"' in index


def test_zensical_builds_the_same_credits_and_lists(tmp_path: Path) -> None:
    # The escape route (ADR 8) must keep the credits mechanism, not just build.
    page = "---\ntalks: [home-on-the-range]\n---\n\n# Query ranges\n\nText.\n"
    result = build_site(
        tmp_path, {"how-to/ranges.md": page}, "      - how-to/ranges.md\n", zensical=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = (tmp_path / "site" / "how-to" / "ranges" / "index.html").read_text("utf-8")
    credits = built[built.index('class="talk-credits"') :]
    assert 'href="../../reference/talks/#home-on-the-range"' in credits
    assert "https://www.youtube.com/watch?v=zCxDAQZfeIo" in credits
    talks = (tmp_path / "site" / "reference" / "talks" / "index.html").read_text("utf-8")
    ranges = talks[talks.index('id="home-on-the-range"') :]
    assert 'href="../../how-to/ranges/"' in ranges


@pytest.mark.parametrize("zensical", [False, True], ids=["mkdocs", "zensical"])
def test_a_misspelt_talk_slug_fails_the_build(tmp_path: Path, zensical: bool) -> None:
    page = "---\ntalks: [admin-oister]\n---\n\n# Typo\n"
    result = build_site(
        tmp_path, {"how-to/typo.md": page}, "      - how-to/typo.md\n", zensical=zensical
    )
    assert result.returncode != 0
    assert "admin-oister" in result.stdout + result.stderr


def test_a_page_with_no_talks_shows_no_credits(tmp_path: Path) -> None:
    result = build_site(tmp_path, {}, "")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    # The stylesheet is linked from every page; the credits box itself must not be there.
    assert 'class="talk-credits"' not in home


def test_git_log_parsing_keeps_the_newest_date_per_file() -> None:
    log = (
        "\0" + "2026-11-25T10:00:00+01:00\n\nindex.md\nadr/index.md\n"
        "\0" + "2026-10-01T09:00:00+00:00\n\nindex.md\nhow-to/old.md\n"
    )
    assert parse_log(log) == {
        "index.md": date(2026, 11, 25),
        "adr/index.md": date(2026, 11, 25),
        "how-to/old.md": date(2026, 10, 1),
    }


def test_dates_come_from_the_commits_that_touched_each_page(tmp_path: Path) -> None:
    def git(*args: str, when: str = "2026-01-02T03:04:05+00:00") -> None:
        env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env=env, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "outside.md").write_text("o", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "first", when="2025-05-06T12:00:00+00:00")
    (docs / "b.md").write_text("b", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "second", when="2026-01-02T03:04:05+00:00")
    (docs / "uncommitted.md").write_text("u", encoding="utf-8")
    assert read_dates(docs) == {"a.md": date(2025, 5, 6), "b.md": date(2026, 1, 2)}


def test_no_git_history_means_no_dates(tmp_path: Path) -> None:
    assert read_dates(tmp_path) == {}


def test_every_decision_record_shows_its_status(tmp_path: Path) -> None:
    madr = "---\nstatus: proposed\ndate: 2026-11-25\n---\n\n# Use MADR here\n\nText.\n"
    result = build_site(tmp_path, {"adr/0999-use-madr-here.md": madr}, "")
    # The MADR record is not in the nav, so the strict build fails on it: build without strict.
    assert "0999-use-madr-here.md" in result.stderr
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    records = sorted((tmp_path / "docs" / "adr").glob("0*.md"))
    assert len(records) >= 2
    for record in records:
        html = (tmp_path / "site" / "adr" / record.stem / "index.html").read_text("utf-8")
        text = re.sub(r"<[^>]+>|&para;|¶", " ", html.split('class="md-content"', 1)[1])
        statuses = "accepted|proposed|superseded|deprecated|rejected"
        assert re.search(rf"Status:?\s+(?i:{statuses})", text), record.name


# Pages about this project's own tools, and the pages that list talks; every other page under a
# quadrant is content drawn from the talks and must credit them.
NOT_FROM_A_TALK = {
    "reference/adrtool-cli.md",
    "reference/adrtool-api.md",
    "reference/adrtool-dialects-api.md",
    "how-to/replace-adr-tools-with-adrtool.md",
    "reference/snippetcheck.md",
    "reference/talks.md",
    "reference/tags.md",
}
QUADRANTS = ("tutorials", "how-to", "reference", "explanation")


def front_matter_talks(page: Path) -> list[str] | None:
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    meta = yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}
    talks = meta.get("talks")
    return list(talks) if talks else None


def content_pages() -> list[Path]:
    docs = ROOT / "docs"
    return [
        page
        for quadrant in QUADRANTS
        for page in sorted((docs / quadrant).glob("*.md"))
        if page.name != "index.md" and page.relative_to(docs).as_posix() not in NOT_FROM_A_TALK
    ]


def test_every_content_page_credits_at_least_one_talk() -> None:
    uncredited = [
        p.relative_to(ROOT).as_posix() for p in content_pages() if not front_matter_talks(p)
    ]
    assert uncredited == [], "add `talks: [slug]` front matter to these pages"


def test_every_talk_is_credited_by_at_least_one_page() -> None:
    talks = load_config()["extra"]["talks"]
    credited = {slug for page in content_pages() for slug in front_matter_talks(page) or []}
    assert sorted(set(talks) - credited) == []


def test_the_talks_page_gives_the_slides_the_seed_lists() -> None:
    if not SEED_TALKS.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SEED_TALKS} is missing, and CI must check the talk facts against it")
        pytest.skip("the seed facts live in ../shared/seed, which this checkout lacks")
    seed_rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in SEED_TALKS.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ][2:]
    slides_by_video = {row[4]: row[3] for row in seed_rows}
    talks = load_config()["extra"]["talks"]
    page = (ROOT / "docs" / "reference" / "talks.md").read_text(encoding="utf-8")
    sections = dict(
        zip(
            re.findall(r"^### .+ \{#([a-z-]+)\}$", page, flags=re.MULTILINE),
            re.split(r"^### ", page, flags=re.MULTILINE)[1:],
            strict=True,
        )
    )
    for slug, talk in talks.items():
        slides = re.search(r"^Slides\n:   (.+)$", sections[slug], flags=re.MULTILINE)
        assert slides, f"{slug} has no Slides entry"
        listed = slides_by_video[talk["video"]]
        if listed == "none listed":
            assert slides[1] == "none listed", slug
        elif listed in ("PDF", "Google Slides"):
            assert listed in slides[1] and "](" not in slides[1], slug
        else:
            assert f"](https://{listed}" in slides[1], slug


# A page names a talk in italics followed by "(DjangoCon US 2022)", the title possibly wrapped
# over two lines of the Markdown source.
TALK_CITATION = re.compile(r"\*([^*\n]+(?:\n[^*\n]+)?)\*,?\s+\(DjangoCon US 2022\)")
# The tutorials are another session's to change; pool-booking-with-ranges.md still writes the
# range talk's title with a colon, so the rule covers the other three parts until it is fixed.
# The range talk's title separates its subtitle with an en dash (U+2013), the others with a colon.
CITING_PARTS = ("how-to", "reference", "explanation")


def cites_a_listed_title(cited: str, titles: list[str]) -> bool:
    """A citation gives a title as listed, or its part before the subtitle's colon or dash."""
    return any(
        cited in (title, title.rstrip(".")) or title.startswith((f"{cited}: ", f"{cited} \u2013 "))
        for title in titles
    )


def test_pages_cite_talk_titles_as_the_conference_lists_them() -> None:
    titles = [talk["title"] for talk in load_config()["extra"]["talks"].values()]
    miscited = [
        f"{page.relative_to(ROOT).as_posix()}: {' '.join(match[1].split())}"
        for part in CITING_PARTS
        for page in sorted((ROOT / "docs" / part).glob("*.md"))
        for match in TALK_CITATION.finditer(page.read_text(encoding="utf-8"))
        if not cites_a_listed_title(" ".join(match[1].split()), titles)
    ]
    assert miscited == [], "write these titles as mkdocs.yml's extra.talks lists them"


def test_a_title_with_its_subtitle_after_a_colon_is_not_the_range_talks_title() -> None:
    titles = [talk["title"] for talk in load_config()["extra"]["talks"].values()]
    assert cites_a_listed_title("Home on the range with Django", titles)
    assert not cites_a_listed_title(
        "Home on the range with Django: getting comfortable with ranges and range fields", titles
    )


def test_the_theme_gives_tabs_footer_links_code_copy_and_no_font_download() -> None:
    theme = load_config()["theme"]
    assert {"navigation.tabs", "navigation.footer", "content.code.copy"} <= set(theme["features"])
    assert theme["font"] is False
    tabs = [next(iter(entry)) for entry in load_config()["nav"] if isinstance(entry, dict)]
    assert tabs[-5:] == ["Tutorials", "How-to guides", "Reference", "Explanation", "Decisions"]


# A note of change: an admonition whose title speaks of a change or of 2022.
CHANGE_ADMONITION = re.compile(
    r'^( *)(!!!|\?\?\?\+?) (\w+) "([^"]*(?:[Cc]hange|2022)[^"]*)"\n', flags=re.MULTILINE
)
VERSION_NUMBER = re.compile(r"\b\d+\.\d+\b")


def admonition_body(text: str, start: int, indent: str) -> str:
    """The lines after an admonition's title that are indented past it, or blank."""
    body = []
    for line in text[start:].splitlines():
        if line.strip() and not line.startswith(indent + "    "):
            break
        body.append(line)
    return "\n".join(body)


def test_changes_since_the_talk_use_one_admonition_that_names_the_version() -> None:
    wrong, seen = [], 0
    for part in CITING_PARTS:
        for page in sorted((ROOT / "docs" / part).glob("*.md")):
            text = page.read_text(encoding="utf-8")
            for match in CHANGE_ADMONITION.finditer(text):
                seen += 1
                indent, _, kind, title = match.groups()
                where = f"{page.relative_to(ROOT).as_posix()}: {kind} {title!r}"
                if (kind, title) != ("note", "Changed since 2022"):
                    wrong.append(f'{where}: write it as !!! note "Changed since 2022"')
                elif not VERSION_NUMBER.search(admonition_body(text, match.end(), indent)):
                    wrong.append(f"{where}: name the version that changed it")
    assert seen > 0, "no change note found: the pattern no longer reads them"
    assert wrong == []


def test_a_change_note_without_a_version_is_found() -> None:
    text = '!!! note "Changed since 2022"\n    It is different now.\n\nDjango 5.2 is unrelated.\n'
    match = CHANGE_ADMONITION.search(text)
    assert match
    assert not VERSION_NUMBER.search(admonition_body(text, match.end(), match[1]))
