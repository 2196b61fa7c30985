"""The record templates: built-in Nygard and MADR ones, or the folder's templates/NAME.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from adrtool._markdown import heading_text
from adrtool.errors import BadUsage
from adrtool.records import Style, detect_style

BUILTIN = ("nygard", "madr")

NYGARD = """\
# NUMBER. TITLE

Date: DATE

## Status

STATUS

## Context

What is happening that calls for a decision? Describe the forces at play (technical, political,
social, the project's own constraints) in plain terms, as facts.

## Options considered

List each option that was on the table, with what speaks for and against it.

## Decision

State what we will do, in full sentences, in the active voice: "We will ...".

## Consequences

What becomes easier, what becomes harder, and what we must now watch for, whether good or bad.
"""

MADR = """\
---
status: STATUS
date: DATE
decision-makers: []
---

# TITLE

## Context and Problem Statement

What problem calls for a decision, and in what setting? Two or three sentences, or a question.

## Decision Drivers

* A force or concern that shapes the choice

## Considered Options

* The first option
* The second option

## Decision Outcome

Chosen option: "the first option", because it is the one that meets the decision drivers.

### Consequences

* Good, because something becomes easier
* Bad, because something becomes harder
"""

FIRST_RECORD_TITLE = "Record architecture decisions"

FIRST_RECORD_BODY = {
    Style.NYGARD: """\
## Context

Decisions that shape this project are made in meetings, chats and pull requests, and the reasons
behind them fade. Someone who joins later, or anyone a year on, cannot tell why things are the way
they are, nor whether an idea they have was already weighed and set aside.

## Options considered

* Keep decisions in the heads of the people who made them, and in chat history.
* Keep them on a wiki page, away from the code.
* Keep Architecture Decision Records: short Markdown files in the repository, one per decision,
  reviewed with the code they explain.

## Decision

We will record each architecturally significant decision as an Architecture Decision Record in
this folder, in the format Michael Nygard described, and manage the records with adrtool.

## Consequences

A decision now costs a short text, written when it is made. In return the reasons stay next to
the code, pass through review, and show up in the history. A record is never rewritten to change
its decision: a new record supersedes it, so the path from one choice to the next stays visible.
""",
    Style.MADR: """\
## Context and Problem Statement

Decisions that shape this project are made in meetings, chats and pull requests, and the reasons
behind them fade. How do we keep the why of a decision for those who come later?

## Considered Options

* Rely on memory and chat history
* A wiki page, away from the code
* Architecture Decision Records in the repository

## Decision Outcome

Chosen option: "Architecture Decision Records in the repository", in the MADR format and managed
with adrtool, because the records are reviewed with the code they explain and stay beside it.

### Consequences

* Good, because the reasons for a decision stay next to the code and show up in its history.
* Bad, because each decision now costs a short text, written when it is made.
""",
}


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    style: Style


def resolve_template(adr_dir: Path, name: str | None) -> Template | None:
    """The template ``--template NAME`` names, or the folder's ``templates/template.md``.

    None means the caller picks a built-in one by the folder's style.
    """
    templates = adr_dir / "templates"
    if name is None:
        path = templates / "template.md"
        return _load(path) if path.is_file() else None
    if "/" in name or "\\" in name or name.startswith("."):
        raise BadUsage(f"template name {name!r} must be a plain name such as 'madr'")
    path = templates / f"{name}.md"
    if path.is_file():
        return _load(path)
    if name in BUILTIN:
        return builtin(Style(name))
    available = sorted({*BUILTIN, *(p.stem for p in templates.glob("*.md"))})
    raise BadUsage(f"unknown template {name!r}; choose one of: {', '.join(available)}")


def builtin(style: Style) -> Template:
    return Template(style.value, NYGARD if style is Style.NYGARD else MADR, style)


def _load(path: Path) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadUsage(f"template {path} cannot be read as UTF-8 ({error})") from None
    return Template(path.stem, text, detect_style(text))


PLACEHOLDER = re.compile(r"\b(NUMBER|TITLE|DATE|STATUS)\b")
MADR_FIELD = re.compile(r"^(?P<key>status|date):.*$", re.MULTILINE)


def render(template: Template, *, number: int, title: str, date: str, status: str) -> str:
    """Fill the template. Each placeholder is replaced once, in a single pass over the template,
    so a title containing "DATE" or "&" is copied exactly (adr-tools' sed mangles both)."""
    values = {"NUMBER": str(number), "TITLE": title, "DATE": date, "STATUS": status}
    done: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        word = match.group(1)
        if word in done:
            return word
        done.add(word)
        line_start = template.text.rfind("\n", 0, match.start()) + 1
        if word == "TITLE" and template.text.startswith("#", line_start):
            return heading_text(title)
        return values[word]

    text = PLACEHOLDER.sub(fill, template.text)
    if template.style is Style.MADR:
        # MADR's own template says `status: "{proposed | ...}"`: set the fields whatever they hold,
        # but only inside the front matter.
        head, sep, body = text.partition("\n---")
        head = MADR_FIELD.sub(
            lambda m: f'status: "{status}"' if m.group("key") == "status" else f"date: {date}",
            head,
        )
        body = re.sub(
            r"^# \{[^}\n]*\}[ \t]*$",
            lambda _: f"# {heading_text(title)}",
            body,
            count=1,
            flags=re.MULTILINE,
        )
        text = head + sep + body
    return text
