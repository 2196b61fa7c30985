"""What the commands do: create, supersede, link, re-status and renumber records, safely.

Every function validates everything before it writes anything. A new record appears whole under
a number no other process holds; edits of existing records are atomic, and a multi-file change
that fails half-way puts back what it had already changed.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from adrtool._files import create_exclusive, locked, write_atomic
from adrtool.dialects import Dialect
from adrtool.errors import AdrError, BadUsage
from adrtool.folder import AdrFolder
from adrtool.index import render_index, sorted_records
from adrtool.names import NamePattern
from adrtool.records import DATE, STATUSES, Record, Relation, parse_record, relation_of
from adrtool.slug import slugify
from adrtool.templates import (
    FIRST_RECORD_BODY,
    FIRST_RECORD_TITLE,
    Template,
    builtin,
    render,
    resolve_template,
    with_front_matter_keys,
)

CLAIM_ATTEMPTS = 200


@dataclass(frozen=True)
class LinkRequest:
    """``--link "N:Amends:Amended by"``: the new record Amends N, and N is Amended by it."""

    target: str
    relation: str
    reverse: str

    @classmethod
    def parse(cls, text: str) -> LinkRequest:
        parts = text.split(":", 2)
        if len(parts) != 3 or not all(part.strip() for part in parts):
            raise BadUsage(
                f"link {text!r} must be NUMBER:LINK:REVERSE-LINK, e.g. '3:Amends:Amended by'"
            )
        target, relation, reverse = (part.strip() for part in parts)
        return cls(target, check_relation(relation), check_relation(reverse))


# What cannot stand in a one-line heading or a file: control characters (Cc: line breaks, tabs,
# terminal escapes; str.splitlines also breaks at \x1c-\x1e and \x85), the line and paragraph
# separators (Zl, Zp: splitlines breaks there too) and lone surrogates (Cs: undecodable bytes of
# a command line, which cannot be written as UTF-8). Format characters (Cf) are text: the zero
# width joiner inside emoji sequences, the non-joiner of Persian words, the soft hyphen, bidi marks.
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp", "Cs"})
INVISIBLE = frozenset({"Cf", "Zs"})


def _breaks_the_line(text: str) -> bool:
    return any(unicodedata.category(char) in LINE_BREAKING for char in text)


def check_title(words: Sequence[str]) -> str:
    title = " ".join(words).strip()
    if _breaks_the_line(title):
        raise BadUsage(
            "the title holds a line break, control character or undecodable byte; "
            "give it on one line, as UTF-8 text"
        )
    # Nothing visible (only spaces and format characters) is as empty as no title at all.
    if all(unicodedata.category(char) in INVISIBLE for char in title):
        raise BadUsage("the title is empty; give one, e.g. adrtool new Use PostgreSQL for search")
    return title


def check_relation(text: str) -> str:
    relation = text.strip()
    if not relation or _breaks_the_line(relation):
        raise BadUsage(f"link wording {text!r} must be words on one line, such as 'Amends'")
    if any(char in relation for char in "[]()"):
        raise BadUsage(f"link wording {text!r} cannot hold brackets; use words such as 'Amends'")
    return relation


def check_status(text: str, statuses: tuple[str, ...] = STATUSES) -> str:
    status = " ".join(text.strip().lower().replace("supercede", "supersede").split())
    if status not in statuses:
        raise BadUsage(
            f"unknown status {text!r}; use one of: {', '.join(statuses)} "
            "(or list yours in [tool.adrtool] statuses of pyproject.toml)"
        )
    return status


def resolve_date(text: str | None) -> str:
    """The record's date: ``--date``, else ``$ADR_DATE`` (as adr-tools reads it), else today."""
    source = "--date"
    if text is None:
        text, source = os.environ.get("ADR_DATE"), "ADR_DATE"
    if text is None:
        return datetime.date.today().isoformat()
    try:
        if not DATE.match(text):
            raise ValueError
        datetime.date.fromisoformat(text)
    except ValueError:
        raise BadUsage(f"{source} {text!r} is not a date; write it as YYYY-MM-DD") from None
    return text


class _Transaction:
    """Edits of existing records written together; if one fails, the earlier ones are undone."""

    def __init__(self) -> None:
        self.texts: dict[Path, str] = {}
        self.originals: dict[Path, str] = {}

    def edit(self, record: Record, change: Callable[[str], str]) -> None:
        current = self.texts.get(record.path, record.text)
        self.originals.setdefault(record.path, record.text)
        self.texts[record.path] = change(current)

    def commit(self, undo_also: Callable[[], None] | None = None) -> None:
        written: list[Path] = []
        try:
            for path, text in self.texts.items():
                if write_atomic(path, text):
                    written.append(path)
        except BaseException:
            for path in written:
                with contextlib.suppress(OSError):
                    write_atomic(path, self.originals[path])
            if undo_also is not None:
                undo_also()
            raise


def _claim(folder: AdrFolder, make: Callable[[int], tuple[str, str]]) -> Path:
    """Create a record under the next free number, whatever other processes do at the same time.

    The file is created exclusively (never over another), then the folder is read again: if
    another file took the same number meanwhile, this process withdraws and tries the next
    number. Two processes can both withdraw, but two can never both keep one number.
    """
    for attempt in range(CLAIM_ATTEMPTS):
        number = max(folder.numbers_taken(), default=0) + 1
        name, text = make(number)
        path = folder.path / name
        try:
            create_exclusive(path, text)
        except FileExistsError:
            continue
        rivals = [n for taken, n in folder.names() if taken == number and n != name]
        if not rivals:
            return path
        path.unlink()
        # Random back-off, so processes that withdrew together do not collide again.
        time.sleep(int.from_bytes(os.urandom(2), "big") / 65535 * 0.002 * (attempt + 1))
    raise AdrError(
        f"could not claim a record number in {folder.path} after {CLAIM_ATTEMPTS} tries; "
        "too many processes are creating records at once, try again"
    )


def keeps_index(folder: AdrFolder) -> bool:
    """Whether the folder keeps an index.md that edits must refresh.

    Asked before anything is written: an index.md that is not a file (a folder, a broken link)
    is refused then, rather than after a record was created or changed.
    """
    path = folder.index_path
    if not os.path.lexists(path):
        return False
    if not path.is_file():
        raise AdrError(
            f"{path} is not a file, so the index cannot be written; move it out of the way"
        )
    return True


@contextlib.contextmanager
def _editing(folder: AdrFolder) -> Iterator[None]:
    """Hold the folder's lock while records change, then refresh index.md if the folder keeps one.

    The lock is held from reading the records to change until the index is written: see
    _files.locked. An error inside leaves the index as it was, since nothing changed.
    """
    with locked(folder.path):
        index = keeps_index(folder)
        yield
        if index:
            write_index(folder)


def write_index(folder: AdrFolder) -> bool:
    """Write index.md from the records; False, touching nothing, if it is already current."""
    with locked(folder.path):
        keeps_index(folder)
        records, _ = folder.read_all()
        return write_atomic(folder.index_path, render_index(sorted_records(records)))


def _adding_link(record: Record, relation: str, label: str, href: str) -> Callable[[str], str]:
    return lambda text: record.dialect.add_link(text, relation, label, href)


def _superseding(record: Record, label: str, href: str, number: int) -> Callable[[str], str]:
    """The edit that makes ``record`` superseded by the record ``href``, in its own wording."""
    return lambda text: record.dialect.supersede(text, label, href, number, record.statuses)


def new_record(
    folder: AdrFolder,
    title_words: Sequence[str],
    *,
    supersedes: Sequence[str] = (),
    links: Sequence[LinkRequest] = (),
    status: str | None = None,
    date: str | None = None,
    template_name: str | None = None,
    body: str | None = None,
) -> Path:
    """Create the next record and write its links into both ends. Returns the new file's path."""
    title = check_title(title_words)
    when = resolve_date(date)
    template = resolve_template(folder.path, template_name) or _folder_template(folder)
    dialect = template.dialect
    chosen_status = check_status(status, folder.statuses) if status else _default(folder, dialect)
    slug = slugify(title)
    with _editing(folder):
        superseded = _distinct([folder.find(reference) for reference in supersedes])
        linked = [(folder.find(request.target), request) for request in links]

        def make(number: int) -> str:
            text = _render_new(template, number, title, when, chosen_status, body)
            for target in superseded:
                text = dialect.add_link(text, "Supersedes", target.label, target.path.name)
            for target, request in linked:
                text = dialect.add_link(text, request.relation, target.label, target.path.name)
                # "N:Superseded by:Supersedes": the new record is born superseded by N.
                if relation_of(request.reverse) is Relation.SUPERSEDES:
                    text = dialect.supersede(
                        text, target.label, target.path.name, target.number, folder.statuses
                    )
            return text

        # Rehearse every edit before the record exists, so bad input changes nothing on disk.
        _plan_edits(superseded, linked, 0, "rehearsal.md", "")
        pattern = folder.pattern()
        if pattern.dated:
            path = _claim_dated(folder, pattern, when, slug, make)
        else:
            path = _claim(folder, lambda number: (pattern.numbered(number, slug), make(number)))
        new = parse_record(path, path.read_text(encoding="utf-8"), statuses=folder.statuses)
        transaction = _plan_edits(superseded, linked, new.number, path.name, new.label)
        transaction.commit(undo_also=lambda: path.unlink(missing_ok=True))
    return path


def _default(folder: AdrFolder, dialect: Dialect) -> str:
    """The format's own default status, or the folder's first one if its list lacks it."""
    if dialect.default_status in folder.statuses:
        return dialect.default_status
    return folder.statuses[0]


def _folder_template(folder: AdrFolder) -> Template:
    """The built-in template of the folder's dialect, with the front matter keys its records
    use."""
    template = builtin(folder.dialect())
    return with_front_matter_keys(template, folder.front_matter_keys())


def _claim_dated(
    folder: AdrFolder, pattern: NamePattern, when: str, slug: str, make: Callable[[int], str]
) -> Path:
    """Create a date-named record (log4brains): the date is the id, a clash gets a suffix."""
    number = int(when.replace("-", ""))
    for attempt in range(CLAIM_ATTEMPTS):
        path = folder.path / pattern.dated_name(when, slug, attempt)
        try:
            create_exclusive(path, make(number))
        except FileExistsError:
            continue
        return path
    raise AdrError(
        f"{CLAIM_ATTEMPTS} records of {when} already have this title in {folder.path}; "
        "give the new one another title"
    )


def _render_new(
    template: Template, number: int, title: str, when: str, status: str, body: str | None
) -> str:
    text = render(
        template,
        number=number,
        title=title,
        date=when,
        status=template.dialect.status_word(status),
    )
    if body is None:
        return text
    # The first record of a folder keeps the template's head (up to its first section, or up
    # to the Status section's end where the status is a section) and brings its own sections.
    head = text.split("\n## ", 2)
    keep = "\n## ".join(head[:2]) if head[1:2] and head[1].startswith("Status") else head[0]
    return keep.rstrip("\n") + "\n\n" + body


def _plan_edits(
    superseded: list[Record],
    linked: list[tuple[Record, LinkRequest]],
    number: int,
    name: str,
    label: str,
) -> _Transaction:
    transaction = _Transaction()
    for target in superseded:
        transaction.edit(target, _superseding(target, label, name, number))
    for target, request in linked:
        transaction.edit(target, _adding_link(target, request.reverse, label, name))
        # --link "N:Supersedes:Superseded by" is a supersede in other words: N's status follows,
        # as with `adrtool link`, or `check` would find the folder inconsistent.
        if relation_of(request.relation) is Relation.SUPERSEDES:
            transaction.edit(target, _superseding(target, label, name, number))
    return transaction


def _distinct(records: list[Record]) -> list[Record]:
    seen: dict[Path, Record] = {}
    for record in records:
        seen.setdefault(record.path, record)
    return list(seen.values())


def link_records(
    folder: AdrFolder, source_ref: str, relation: str, target_ref: str, reverse: str
) -> None:
    """``adr link``: SOURCE gets ``relation`` to TARGET, TARGET gets ``reverse`` to SOURCE."""
    relation, reverse = check_relation(relation), check_relation(reverse)
    with _editing(folder):
        source, target = folder.find(source_ref), folder.find(target_ref)
        if source.path == target.path:
            raise BadUsage(
                f"record {source.number} cannot link to itself; name two different records"
            )
        transaction = _Transaction()
        transaction.edit(source, _adding_link(source, relation, target.label, target.path.name))
        transaction.edit(target, _adding_link(target, reverse, source.label, source.path.name))
        # Saying one record supersedes another is a supersede: the older one's status follows.
        if relation_of(relation) is Relation.SUPERSEDES:
            transaction.edit(
                target, _superseding(target, source.label, source.path.name, source.number)
            )
        if relation_of(reverse) is Relation.SUPERSEDES:
            transaction.edit(
                source, _superseding(source, target.label, target.path.name, target.number)
            )
        transaction.commit()


def set_record_status(folder: AdrFolder, reference: str, status: str) -> Record:
    chosen = check_status(status, folder.statuses)
    with _editing(folder):
        record = folder.find(reference)
        dialect = record.dialect
        successor = next(
            (link for link in record.links if link.kind is Relation.SUPERSEDED_BY), None
        )
        if chosen == "superseded" and successor is not None:
            text = dialect.supersede(
                record.text,
                successor.text,
                successor.href,
                successor.target_number or 0,
                record.statuses,
            )
        elif chosen == "superseded" and record.status_reference is not None:
            text = dialect.set_status(
                record.text, f"superseded by ADR-{record.status_reference:04d}", record.statuses
            )
        else:
            text = dialect.set_status(record.text, dialect.status_word(chosen), record.statuses)
        write_atomic(record.path, text)
    return record


def renumber(folder: AdrFolder, reference: str) -> Path:
    """Move a record to the next free number and point every link to it at its new name."""
    with _editing(folder):
        path = Path(reference)
        if not path.is_file():
            raise BadUsage(f"{reference} is not a file; give the path of the record to renumber")
        if path.resolve().parent != folder.path.resolve():
            raise BadUsage(
                f"{reference} is not in the ADR folder {folder.path}; give the path of a record "
                "there, or --dir for the folder it belongs to"
            )
        record = next(
            (folder.read(entry) for entry in folder.entries() if entry.path.name == path.name), None
        )
        if record is None:
            raise BadUsage(f"{reference} is not a record file (NNNN-title.md)")
        if record.dated:
            raise BadUsage(
                f"{reference} is named by its date, which no other record can take from it; "
                "records named by date need no renumbering"
            )
        others, _ = folder.read_all()
        others = [other for other in others if other.path.name != record.path.name]
        pattern = NamePattern.of(record.path.name)

        def make(number: int) -> tuple[str, str]:
            return pattern.renamed(record.path.name, number), record.dialect.set_heading_number(
                record.text, number
            )

        new_path = _claim(folder, make)
        new_number = _number_of_new(new_path)
        transaction = _Transaction()
        for other in others:
            transaction.edit(
                other,
                functools.partial(
                    other.dialect.retarget,
                    old_name=record.path.name,
                    new_name=new_path.name,
                    old_number=record.number,
                    new_number=new_number,
                ),
            )
        transaction.commit(undo_also=lambda: new_path.unlink(missing_ok=True))
        record.path.unlink()
    return new_path


def _number_of_new(path: Path) -> int:
    from adrtool.names import record_number  # noqa: PLC0415 - renumber only

    number = record_number(path.name)
    assert number is not None  # _claim names it by the folder's pattern
    return number


def init_folder(target: Path, template: str, date: str | None = None) -> Path:
    """Create the ADR folder with its first record and its index."""
    when = resolve_date(date)
    if target.exists() and not target.is_dir():
        raise AdrError(f"{target} exists and is not a folder; choose another path")
    target.mkdir(parents=True, exist_ok=True)
    folder = AdrFolder(target)
    if folder.entries():
        raise AdrError(f"{target} already holds records; add one with 'adrtool new TITLE' instead")
    path = new_record(
        folder,
        [FIRST_RECORD_TITLE],
        status="accepted",
        date=when,
        template_name=template,
        body=FIRST_RECORD_BODY[template],
    )
    write_index(folder)
    return path
