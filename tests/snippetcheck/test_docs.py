"""The real pages: their snippets are runnable, and a fault planted in any of them is caught."""

from __future__ import annotations

from pathlib import Path

from snippetcheck.extract import Kind, Page, Snippet, extract, extract_file
from snippetcheck.filecheck import FileKind

from .conftest import PAGES, REPO, Check

DOCS = REPO / "docs"
PLANTED = 'raise RuntimeError("planted fault")'


def pages(folder: Path) -> list[tuple[Path, Page]]:
    return [(path, extract_file(path, str(path))) for path in sorted(folder.rglob("*.md"))]


def planted_pages(folder: Path) -> list[tuple[Path, Page]]:
    """The pages the planted-fault tests copy: not tutorials, which run from zero in real
    processes (half a minute each, once per snippet); test_tutorial.py breaks those instead."""
    return [(path, page) for path, page in pages(folder) if not page.tutorial]


def test_at_least_nine_in_ten_python_fences_of_the_docs_are_runnable() -> None:
    found = pages(DOCS)
    fences = sum(page.python_fences for _, page in found)
    runnable = sum(page.runnable_python_fences for _, page in found)
    assert runnable >= 0.9 * fences, f"only {runnable} of {fences} Python fences run"


# A line each kind of snippet rejects, so the fault is reported at that line: it raises, or its
# parser refuses it. TOML: a key without a value. YAML: an alias never defined. JSON: data after
# the document. INI: a line that is neither a section nor an option. ADR record: a link to a
# record that does not exist, which `adrtool check` reports at its line.
FAULTS = {
    FileKind.PYTHON: PLANTED,
    FileKind.TEMPLATE: "{% planted_fault %}",
    FileKind.TOML: "planted_fault =",
    FileKind.YAML: "planted_fault: *planted_fault",
    FileKind.JSON: "planted_fault",
    FileKind.INI: "planted_fault",
    FileKind.ADR: "See [the planted fault](9999-planted-fault.md).",
}


def plant(text: str, snippet: Snippet) -> tuple[str, int] | None:
    """The page with a failing line added at the end of the snippet, and that line's number.

    None for a file snippet nothing checks (a stylesheet): no line in it can fail.
    """
    lines = text.splitlines()
    opening = lines[snippet.start_line - 2]
    indent = opening[: len(opening) - len(opening.lstrip(" "))]
    if snippet.kind is Kind.SHELL:
        # In the fence's own style: a `$` line in a fence without prompts would make the check
        # read every other line as output, and the fence's own commands would no longer run.
        prompted = any(line.lstrip().startswith("$") for line in snippet.source.splitlines())
        fault = ("$ " if prompted else "") + "python manage.py planted_fault_command"
    elif snippet.kind is Kind.FILE:
        kind = snippet.checked_as
        if kind is None:
            return None
        fault = FAULTS[kind]
    else:
        fault = PLANTED
    lines.insert(snippet.end_line, indent + fault)
    return "\n".join(lines) + "\n", snippet.end_line + 1


def test_a_fault_can_be_planted_in_every_runnable_snippet_without_changing_what_runs() -> None:
    for path, page in planted_pages(DOCS) + planted_pages(PAGES):
        text = path.read_text(encoding="utf-8")
        for snippet in page.snippets:
            planted = plant(text, snippet)
            assert planted is not None, f"{snippet}: {snippet.describe()}; nothing can fail in it"
            if snippet.kind is not Kind.SHELL:
                continue
            copy = extract(planted[0], str(path))
            (same,) = [s for s in copy.snippets if s.start_line == snippet.start_line]
            # The fence's own commands still run, the planted one after them.
            assert [str(c) for c in same.commands] == [
                *(str(c) for c in snippet.commands),
                "manage.py planted_fault_command",
            ], snippet


def test_a_fault_planted_in_any_runnable_snippet_is_caught_at_its_line(
    check: Check, docs: Path
) -> None:
    sources = planted_pages(DOCS) + planted_pages(PAGES)
    if not any(page.snippets for path, page in sources if path.is_relative_to(DOCS)):
        assert not any(page.python_fences for path, page in sources if path.is_relative_to(DOCS))
    planted: dict[str, tuple[Snippet, int]] = {}
    copies: dict[str, str] = {}
    for path, page in sources:
        text = path.read_text(encoding="utf-8")
        for index, snippet in enumerate(page.snippets):
            result = plant(text, snippet)
            assert result is not None, f"{snippet}: {snippet.describe()}; nothing can fail in it"
            name = f"{path.stem}-{index}.md"
            copies[name] = result[0]
            planted[f"docs/{name}"] = (snippet, result[1])
    assert len(planted) >= 10  # the example pages alone have more; an empty loop proves nothing
    outcome = check(copies)
    assert outcome.code == 1
    reported = {
        line.split(":")[0]: int(line.split(":")[1])
        for line in outcome.out.splitlines()
        if line.startswith("docs/")
    }
    missed = sorted(set(planted) - set(reported))
    assert not missed, f"faults not caught: {missed}\n{outcome.out}"
    for name, (snippet, fault_line) in planted.items():
        # In the copy the snippet spans start..end+1, the planted line being the last.
        assert snippet.start_line <= reported[name] <= fault_line, (
            name,
            reported[name],
            outcome.out,
        )
