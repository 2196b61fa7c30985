"""What the site's search index leaves out, and how it ranks decision records (tools/search_scope)."""

from __future__ import annotations

from types import SimpleNamespace

from tools.search_scope import (
    RECORD_BOOST,
    on_page_markdown,
    without_code_blocks_in_search,
)


def test_code_blocks_and_the_related_list_are_marked_for_search_to_leave_out() -> None:
    html = (
        "<p>Run it.</p><pre><code>make test</code></pre>\n"
        '<h2 id="steps">Steps</h2>\n<ul><li>one</li></ul>\n'
        '<h2 id="related">Related<a class="headerlink" href="#related">&para;</a></h2>\n'
        '<ul>\n<li><a href="../x/">Rename a model</a>\n<ul><li>nested</li></ul></li>\n</ul>'
        "<p>After.</p>"
    )
    marked = without_code_blocks_in_search(html)
    assert '<pre data-search-exclude="code-block">' in marked
    assert '<h2 id="steps">Steps</h2>\n<ul><li>one</li>' in marked  # other lists stay
    assert marked.endswith(
        '</h2>\n<div data-search-exclude="related"><ul>\n<li><a href="../x/">Rename a model</a>'
        "\n<ul><li>nested</li></ul></li>\n</ul></div><p>After.</p>"
    )


def test_a_related_heading_without_a_list_marks_no_later_list() -> None:
    html = '<h2 id="related">Related</h2><p>None yet.</p><h2 id="more">More</h2><ul><li>x</li></ul>'
    assert without_code_blocks_in_search(html) == html


def test_decision_records_rank_at_half_weight_and_guides_at_their_own() -> None:
    def page(uri: str) -> SimpleNamespace:
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri), meta={})

    record, guide, index = page("adr/0035-x.md"), page("how-to/x.md"), page("adr/index.md")
    for each in (record, guide, index):
        on_page_markdown("# x\n", page=each)
    assert record.meta == {"search": {"boost": RECORD_BOOST}}
    assert guide.meta == {} and index.meta == {}


def test_a_records_options_are_left_out_of_search_and_its_decision_is_not() -> None:
    from tools.search_scope import OPTIONS_OPENING, without_options_in_search

    html = (
        '<h2 id="context">Context</h2><p>Why.</p>'
        '<h2 id="options-considered">Options considered</h2>'
        "<ul><li><strong>Polling.</strong> Simple.</li></ul><p>More.</p>"
        '<h2 id="decision">Decision</h2><p>We will ask.</p>'
    )
    assert without_options_in_search(html) == (
        '<h2 id="context">Context</h2><p>Why.</p>'
        f'<h2 id="options-considered">Options considered</h2>{OPTIONS_OPENING}'
        "<ul><li><strong>Polling.</strong> Simple.</li></ul><p>More.</p></section>"
        '<h2 id="decision">Decision</h2><p>We will ask.</p>'
    )
    assert without_options_in_search("<p>A guide.</p>") == "<p>A guide.</p>"
