"""The site build fails when snippetcheck and the rendered page disagree (tools/snippet_gate.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from tools.snippet_gate import problems

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "tools" / "snippet_gate.py"

PAGE = "# Title\n\n```python\nx = 1\n```\n\n<!-- snippetcheck: test\nassert x == 1\n-->\n"
HTML = (
    '<h1>Title</h1>\n<div class="highlight"><pre><span></span><code>x = 1\n</code></pre></div>\n'
    "<!-- snippetcheck: test\nassert x == 1\n-->\n"
)


def test_a_page_and_its_html_that_agree_have_no_problem() -> None:
    assert problems(PAGE, HTML, "docs/p.md") == []


def test_a_code_block_the_html_lacks_is_reported_at_its_markdown_line() -> None:
    html = HTML.replace(
        '<div class="highlight"><pre><span></span><code>x = 1\n</code></pre></div>', ""
    )
    assert problems(PAGE, html, "docs/p.md") == [
        (
            "docs/p.md:3: snippetcheck reads a code block here (fence, in the page) that the site "
            "does not show as code"
        )
    ]


def test_a_code_block_snippetcheck_does_not_see_is_reported_where_its_code_is() -> None:
    page = PAGE + "\nThe output, y = 2, in a paragraph.\n"
    html = HTML + "<pre><code>y = 2\n</code></pre>\n"
    assert problems(page, html, "docs/p.md") == [
        "docs/p.md:11: the site shows a code block here that snippetcheck does not see"
    ]


def test_hidden_code_and_marker_text_outside_a_comment_are_leaks() -> None:
    leaked = HTML.replace(
        "<!-- snippetcheck: test\nassert x == 1\n-->\n",
        "<p>&lt;!-- snippetcheck: test\nassert x == 1\n--&gt;</p>\n",
    )
    assert problems(PAGE, leaked, "docs/p.md") == [
        "docs/p.md:7: the 'test' marker is not a comment on the site",
        "docs/p.md:8: hidden test code is shown on the site",
        "docs/p.md:7: marker text is shown on the site",
    ]


def test_prose_naming_the_tool_before_a_colon_is_not_a_leak() -> None:
    page = PAGE + "\nSee [the guide to snippetcheck](g.md): how to run it.\n"
    html = HTML + '<p>See <a href="g/">the guide to snippetcheck</a>: how to run it.</p>\n'
    assert problems(page, html, "docs/p.md") == []


def test_markers_shown_as_examples_in_code_are_not_leaks() -> None:
    page = PAGE + "\nWrite `<!-- snippetcheck: postgres -->` at the top.\n"
    html = HTML + "<p>Write <code>&lt;!-- snippetcheck: postgres --&gt;</code> at the top.</p>\n"
    assert problems(page, html, "docs/p.md") == []


def _site(tmp_path: Path, page: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a one-page site with mkdocs.yml's Markdown and the gate hook."""
    ours = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = [e for e in ours["markdown_extensions"] if e != "mkdocs-click"]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = {
        "site_name": "Gate",
        "strict": True,
        "theme": {"name": "mkdocs"},
        "hooks": [str(HOOK)],
        "plugins": [],
    }
    text = yaml.safe_dump(config) + "markdown_extensions:\n"
    # The custom fence names a Python formatter, which safe_dump cannot write.
    text += "\n".join(
        "  - " + (e if isinstance(e, str) else next(iter(e))) for e in extensions
    ).replace(
        "  - pymdownx.superfences",
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format",
    )
    (tmp_path / "mkdocs.yml").write_text(text + "\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        # Not -q: a quiet build counts no warnings, so strict would pass anything.
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


def test_the_strict_build_fails_on_hidden_code_the_site_would_show(tmp_path: Path) -> None:
    page = "# Title\n\n1. Step\n\n    <!-- snippetcheck: test\n    # shown as a heading\n    -->\n"
    result = _site(tmp_path, page)
    assert result.returncode == 1, result.stderr
    assert (
        "docs/index.md:5: the site shows this marker as text: start '<!-- snippetcheck: test' "
        "at the beginning of its line"
    ) in result.stderr


def test_the_strict_build_passes_a_page_snippetcheck_reads_as_the_site_does(
    tmp_path: Path,
) -> None:
    page = "# Title\n\n1. Step\n\n    ```python\n    x = 1\n    ```\n\n" + PAGE.split("\n", 2)[2]
    result = _site(tmp_path, page)
    assert result.returncode == 0, result.stderr
