"""The record templates: built-in ones per dialect, or the folder's own template file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from adrtool._markdown import heading_text
from adrtool.dialects import Dialect, all_dialects, detect
from adrtool.errors import BadUsage
from adrtool.records import FRONT_MATTER_KEY, front_matter_bounds

# Where the tools keep a folder's own template: adr-tools' templates/template.md, MADR's
# adr-template.md and log4brains' template.md, beside the records.
FOLDER_TEMPLATES = ("templates/template.md", "adr-template.md", "template.md")

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

BULLETS = """\
# TITLE

BULLETStatus: STATUS
BULLETDeciders:
BULLETDate: DATE

## Context and Problem Statement

What problem calls for a decision, and in what setting? Two or three sentences, or a question.

## Considered Options

BULLETThe first option
BULLETThe second option

## Decision Outcome

Chosen option: "the first option", because it is the one that meets the decision drivers.

### Positive Consequences

BULLETSomething becomes easier

### Negative Consequences

BULLETSomething becomes harder
"""

BUILTIN_TEXT = {
    "nygard": NYGARD,
    "madr": MADR,
    "madr-bullets": BULLETS.replace("BULLET", "* "),
    "log4brains": BULLETS.replace("BULLET", "- "),
}

FIRST_RECORD_TITLE = "Record architecture decisions"

# adr-tools' own texts, which `adr` (adrtool.adr_tools_cli) writes so that a folder it makes reads
# as one adr-tools made: the template of `adr new` and the first record of `adr init`. Only the
# text is kept, for format compatibility; it is filled by `render` like every other template.
ADR_TOOLS_NEW = """\
# NUMBER. TITLE

Date: DATE

## Status

STATUS

## Context

The issue motivating this decision, and any context that influences or constrains the decision.

## Decision

The change that we're proposing or have agreed to implement.

## Consequences

What becomes easier or more difficult to do and any risks introduced by the change that will \
need to be mitigated.
"""

ADR_TOOLS_INIT = """\
# 1. Record architecture decisions

Date: DATE

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as [described by Michael Nygard]\
(http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).

## Consequences

See Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's \
[adr-tools](https://github.com/npryce/adr-tools).
"""

FIRST_RECORD_BODY = {
    "nygard": """\
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
    "madr": """\
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
    dialect: Dialect


def builtin_names() -> list[str]:
    return [dialect.template for dialect in all_dialects()]


def resolve_template(adr_dir: Path, name: str | None) -> Template | None:
    """The template ``--template NAME`` names, or the folder's own template file.

    None means the caller picks a built-in one by the folder's dialect.
    """
    templates = adr_dir / "templates"
    if name is None:
        for relative in FOLDER_TEMPLATES:
            path = adr_dir / relative
            if path.is_file():
                return _load(path)
        return None
    if "/" in name or "\\" in name or name.startswith("."):
        raise BadUsage(f"template name {name!r} must be a plain name such as 'madr'")
    path = templates / f"{name}.md"
    if path.is_file():
        return _load(path)
    for dialect in all_dialects():
        if dialect.template == name:
            return builtin(dialect)
    available = sorted({*builtin_names(), *(p.stem for p in templates.glob("*.md"))})
    raise BadUsage(f"unknown template {name!r}; choose one of: {', '.join(available)}")


def builtin(dialect: Dialect) -> Template:
    return Template(dialect.template, BUILTIN_TEXT[dialect.template], dialect)


def _load(path: Path) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadUsage(f"template {path} cannot be read as UTF-8 ({error})") from None
    return Template(path.stem, text, detect("template.md", text.splitlines()))


def with_front_matter_keys(template: Template, keys: list[str]) -> Template:
    """The built-in front matter with the keys the folder's records use (``deciders``,
    ``tags``...) in place of its own, left empty for the writer; status and date stay."""
    lines = template.text.splitlines()
    bounds = front_matter_bounds(lines)
    if bounds is None:
        return template
    fields = [FRONT_MATTER_KEY.match(line) for line in lines[1 : bounds[1]]]
    own = [m.group("key") for m in fields if m and m.group("key") not in ("status", "date")]
    extra = [key for key in keys if key.lower() not in ("status", "date")]
    if not extra or extra == own:
        return template
    kept = [m.group(0) for m in fields if m and m.group("key") in ("status", "date")]
    head = ["---", *kept, *(f"{key}:" for key in extra), "---"]
    text = "\n".join([*head, *lines[bounds[1] + 1 :]]) + "\n"
    return Template(template.name, text, template.dialect)


PLACEHOLDER = re.compile(r"\b(NUMBER|TITLE|DATE|STATUS)\b")


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
    # The tools' own templates hold "{short title ...}" or "[short title ...]" where the title
    # goes, and field values such as "{proposed | rejected | ...}": the dialect sets its fields.
    text = re.sub(
        r"^# (?:\{[^}\n]*\}|\[[^\]\n]*\])[ \t]*$",
        lambda _: f"# {heading_text(title)}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    return template.dialect.fill_template(text, date=date, status=status)


def adr_tools_template(adr_dir: Path, *, first: bool = False) -> Template:
    """The template `adr new` fills, as adr-tools picks it: ``$ADR_TEMPLATE``, else the folder's
    ``templates/template.md``, else adr-tools' own text (for `adr init`, its first record)."""
    import os  # noqa: PLC0415 - only `adr` asks

    if first:  # adr-tools' init sets ADR_TEMPLATE itself, whatever the caller's
        return Template("adr-tools-init", ADR_TOOLS_INIT, _nygard())
    named = os.environ.get("ADR_TEMPLATE")
    if named:
        path = Path(named)
        if not path.is_file():
            raise BadUsage(f"ADR_TEMPLATE names {named}, which is not a file; fix or unset it")
        return _load(path)
    own = adr_dir / "templates" / "template.md"
    if own.is_file():
        return _load(own)
    return Template("adr-tools", ADR_TOOLS_NEW, _nygard())


def _nygard() -> Dialect:
    return next(dialect for dialect in all_dialects() if dialect.name == "nygard")
