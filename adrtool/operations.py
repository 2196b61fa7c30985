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

from adrtool._files import Prepared, create_exclusive, locked, prepare, write_atomic
from adrtool._index_refresh import IndexPage, parse_page, refreshed
from adrtool.dialects import Dialect
from adrtool.editing import link_line
from adrtool.errors import AdrError, BadUsage, IndexNotOurs
from adrtool.folder import AdrFolder
from adrtool.index import render_index, sorted_records
from adrtool.index_file import (
    IndexState,
    index_state,
    read_index,
    stamped,
    state_of,
    why_left_alone,
)
from adrtool.names import NamePattern
from adrtool.records import (
    DATE,
    STATUSES,
    Record,
    Relation,
    parse_record,
    read_record_text,
    relation_of,
)
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
        relation, reverse = check_wording(relation, reverse)
        return cls(target, relation, reverse)


# What cannot stand in a one-line heading or a file: control characters (Cc: line breaks, tabs,
# terminal escapes; str.splitlines also breaks at \x1c-\x1e and \x85), the line and paragraph
# separators (Zl, Zp: splitlines breaks there too) and lone surrogates (Cs: undecodable bytes of
# a command line, which cannot be written as UTF-8). Format characters (Cf) are text: the zero
# width joiner inside emoji sequences, the non-joiner of Persian words, the soft hyphen, bidi marks.
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp", "Cs"})
INVISIBLE = frozenset({"Cf", "Zs"})
# A title is a heading, a file name's slug and a cell of the index: a sentence, not a paragraph.
MAX_TITLE = 200


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
    if len(title) > MAX_TITLE:
        raise BadUsage(
            f"the title is {len(title)} characters long; keep it to {MAX_TITLE} or fewer "
            "and put the details in the record"
        )
    return title


def check_relation(text: str) -> str:
    relation = text.strip()
    if not relation or _breaks_the_line(relation):
        raise BadUsage(f"link wording {text!r} must be words on one line, such as 'Amends'")
    # Brackets would end the link; < and > would be HTML on the built page.
    if any(char in relation for char in "[]()<>"):
        raise BadUsage(
            f"link wording {text!r} cannot hold brackets or < >; use words such as 'Amends'"
        )
    return relation


_COUNTERPART = {Relation.SUPERSEDES: "Superseded by", Relation.SUPERSEDED_BY: "Supersedes"}


def check_wording(relation: str, reverse: str) -> tuple[str, str]:
    """A link's wording and its reverse; a supersede must be said from both ends.

    "Supersedes" with a reverse of "Amended by" would leave the older record claiming nothing,
    a folder `adrtool check` rejects.
    """
    relation, reverse = check_relation(relation), check_relation(reverse)
    for said, answer in ((relation, reverse), (reverse, relation)):
        needed = _COUNTERPART.get(relation_of(said))
        if needed is not None and relation_of(answer) is not relation_of(needed):
            raise BadUsage(
                f"link wording {said!r} needs the reverse {needed!r}, not {answer!r}; "
                "a supersede is said from both ends"
            )
    return relation, reverse


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


class _Changes:
    """What one command changes in the folder, written together or not at all.

    Edits of existing records are kept in memory until commit. Commit first writes every new
    text, the index's included, to a temp file beside its target; only when all are written
    does it put them in place. A full disk or a file size limit therefore stops a command before
    any file has changed, and a record created on the way is removed again.
    """

    def __init__(self, folder: AdrFolder, kept: list[Record] | IndexPage | None) -> None:
        self.folder = folder
        # If the index is to be refreshed: what the index page says of the records (so that
        # only the changed ones are read again), or the records as read when the lock was taken
        # where the page cannot say. Under the lock they change only by this command.
        self.keep_index = kept is not None
        self.page = kept if isinstance(kept, IndexPage) else None
        records = kept if isinstance(kept, list) else []
        self.read = {record.path: record for record in records}
        self.texts: dict[Path, str] = {}
        self.numbers: dict[Path, int] = {}
        self.originals: dict[Path, str] = {}
        self.created: list[Path] = []
        # (old path, new path, new text): a record that moves to another name (renumber).
        self.moves: list[tuple[Path, Path, str]] = []

    def edit(self, record: Record, change: Callable[[str], str]) -> None:
        current = self.texts.get(record.path, record.text)
        # By the file's real path, which is what a prepared replacement names.
        self.originals.setdefault(Path(os.path.realpath(record.path)), record.text)
        self.texts[record.path] = change(current)
        self.numbers[record.path] = record.number

    def abandon(self) -> None:
        for path in self.created:
            path.unlink(missing_ok=True)

    def _index_text(self) -> str:
        if self.page is not None and not self.moves:
            changed = {
                path.name: parse_record(path, read_record_text(path), statuses=self.folder.statuses)
                for path in self.created
            }
            for path, text in self.texts.items():
                changed[path.name] = parse_record(
                    path, text, self.numbers[path], self.folder.statuses
                )
            listing = self.folder.names()
            refreshed_page = refreshed(self.page, listing, changed)
            if refreshed_page is not None:
                return stamped(refreshed_page)
        moved = {old: (new, text) for old, new, text in self.moves}
        records = []
        for entry in self.folder.entries():
            record = self.read.get(entry.path) or self.folder.read(entry)
            if record.path in moved:
                new, text = moved[record.path]
                records.append(parse_record(new, text, statuses=self.folder.statuses))
            elif record.path in self.texts:
                edited = self.texts[record.path]
                records.append(
                    parse_record(record.path, edited, record.number, self.folder.statuses)
                )
            else:
                records.append(record)
        return stamped(render_index(sorted_records(records)))

    def commit(self) -> None:
        texts = dict(self.texts)
        if self.keep_index:
            try:
                texts[self.folder.index_path] = self._index_text()
            except BaseException:
                self.abandon()
                raise
        ready: list[Prepared] = []
        moving: list[tuple[Path, Path, Prepared | None]] = []
        try:
            for old, new, text in self.moves:
                moving.append((old, new, prepare(old, text)))
            for path, text in texts.items():
                prepared = prepare(path, text)
                if prepared is not None:
                    ready.append(prepared)
        except BaseException:
            for prepared in [*ready, *(m[2] for m in moving if m[2] is not None)]:
                prepared.discard()
            self.abandon()
            raise
        installed: list[Prepared] = []
        try:
            for old, new, prepared in moving:
                _move(old, new, prepared)
            for prepared in ready:
                prepared.install()
                installed.append(prepared)
        except BaseException:
            # A rename in one folder fails only if the folder changed under us: put back what
            # was already replaced.
            for prepared in ready[len(installed) :]:
                prepared.discard()
            for prepared in installed:
                original = self.originals.get(prepared.target)
                if original is not None:
                    with contextlib.suppress(OSError):
                        write_atomic(prepared.target, original)
            self.abandon()
            raise
        self.folder.index_refreshed = self.keep_index


def _move(old: Path, new: Path, content: Prepared | None) -> None:
    """Give a record its new name in one rename, then its new text.

    A rename, never a copy and a delete: a renumber stopped at any point leaves the record under
    one name, old or new. A link is moved as a link; its target gets the new text.
    """
    if os.path.lexists(new):
        if content is not None:
            content.discard()
        raise AdrError(f"{new} appeared while renumbering; run 'adrtool renumber' again")
    renamed_itself = content is not None and content.target == Path(os.path.realpath(old))
    old.rename(new)
    if content is not None:
        if renamed_itself:
            content.target = Path(os.path.realpath(new))
        content.install()


def _claim(folder: AdrFolder, make: Callable[[int], tuple[str, str]]) -> Path:
    """Create a record under the next free number, whatever other processes do at the same time.

    The file is created exclusively (never over another), then the folder is read again: if
    another file took the same number meanwhile, this process withdraws and tries the next
    number. Two processes can both withdraw, but two can never both keep one number.
    """
    for attempt in range(CLAIM_ATTEMPTS):
        if attempt:
            folder.forget()
        number = max(folder.numbers_taken(), default=0) + 1
        name, text = make(number)
        path = folder.path / name
        try:
            create_exclusive(path, text)
        except FileExistsError:
            continue
        # Listed afresh: a process that does not take our lock (adr-tools) may have raced us.
        folder.forget()
        rivals = [n for taken, n in folder.names() if taken == number and n != name]
        if not rivals:
            return path
        path.unlink()
        folder.forget()
        # Random back-off, so processes that withdrew together do not collide again.
        time.sleep(int.from_bytes(os.urandom(2), "big") / 65535 * 0.002 * (attempt + 1))
    raise AdrError(
        f"could not claim a record number in {folder.path} after {CLAIM_ATTEMPTS} tries; "
        "too many processes are creating records at once, try again"
    )


def _kept_index(folder: AdrFolder) -> list[Record] | IndexPage | None:
    """What refreshing the folder's index.md needs, if edits must refresh it (one adrtool wrote
    and nobody edited since), else None: the page itself where it lists the folder's records as
    `adrtool index` would, else every record. Asked before anything is written, so an index.md
    that is not a file, or a record the index could not list, stops the command before it
    changes anything."""
    text = read_index(folder.index_path)
    if state_of(text) is not IndexState.OURS or text is None:
        return None
    page = parse_page(text, folder.names())
    return page if page is not None else folder.read_every()


@contextlib.contextmanager
def _editing(folder: AdrFolder) -> Iterator[_Changes]:
    """Hold the folder's lock while records change, then write the changes and the index.

    The lock is held from reading the records to change until the index is written: see
    _files.locked. An error inside writes nothing and removes a record created on the way.
    """
    with locked(folder.path):
        # What was listed before the lock may have changed meanwhile; under it, only we change it.
        folder.forget()
        changes = _Changes(folder, _kept_index(folder))
        try:
            yield changes
        except BaseException:
            changes.abandon()
            raise
        changes.commit()
        folder.forget()


def write_index(folder: AdrFolder, *, force: bool = False) -> bool:
    """Write index.md from the records; False, touching nothing, if it is already current.

    An index.md adrtool did not write, or that was edited since, is refused unless ``force``.
    """
    with locked(folder.path):
        folder.forget()
        state = index_state(folder.index_path)
        if state in (IndexState.FOREIGN, IndexState.EDITED) and not force:
            raise IndexNotOurs(why_left_alone(folder.index_path, state))
        text = stamped(render_index(sorted_records(folder.read_every())))
        return write_atomic(folder.index_path, text)


def expected_index(folder: AdrFolder) -> str:
    """The index.md `adrtool index` would write now."""
    return stamped(render_index(sorted_records(folder.read_every())))


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
    template: Template | None = None,
    spelling: str = "Supersede",
) -> Path:
    """Create the next record and write its links into both ends. Returns the new file's path.

    ``template`` is used as given (`adr`'s adr-tools texts); ``spelling`` "Supercede" writes
    the supersede links as upstream adr-tools spells them, for a folder that already does.
    """
    title = check_title(title_words)
    when = resolve_date(date)
    slug = slugify(title)
    with _editing(folder) as changes:
        # Under the lock, where the folder is listed once for the index and the template alike.
        if template is None:
            template = resolve_template(folder.path, template_name) or _folder_template(folder)
        dialect = template.dialect
        chosen_status = (
            check_status(status, folder.statuses) if status else _default(folder, dialect)
        )
        superseded = _distinct([folder.find(reference) for reference in supersedes])
        linked = [(folder.find(request.target), request) for request in links]

        def make(number: int) -> str:
            text = _render_new(template, number, title, when, chosen_status, body)
            for target in superseded:
                text = dialect.add_link(text, f"{spelling}s", target.label, target.path.name)
            for target, request in linked:
                text = dialect.add_link(text, request.relation, target.label, target.path.name)
                # "N:Superseded by:Supersedes": the new record is born superseded by N.
                if relation_of(request.reverse) is Relation.SUPERSEDES:
                    text = dialect.supersede(
                        text, target.label, target.path.name, target.number, folder.statuses
                    )
            return text

        # Rehearse every edit before the record exists, so bad input changes nothing on disk.
        _plan_edits(_Changes(folder, None), superseded, linked, 0, "rehearsal.md", "", spelling)
        pattern = folder.pattern()
        if pattern.dated:
            path = _claim_dated(folder, pattern, when, slug, make)
        else:
            path = _claim(folder, lambda number: (pattern.numbered(number, slug), make(number)))
        changes.created.append(path)
        new = parse_record(path, path.read_text(encoding="utf-8"), statuses=folder.statuses)
        _plan_edits(changes, superseded, linked, new.number, path.name, new.label, spelling)
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
    transaction: _Changes,
    superseded: list[Record],
    linked: list[tuple[Record, LinkRequest]],
    number: int,
    name: str,
    label: str,
    spelling: str = "Supersede",
) -> None:
    for target in superseded:
        edit = _superseding(target, label, name, number)
        if spelling != "Supersede":
            edit = _respelt(edit, target, label, name, spelling)
        transaction.edit(target, edit)
    for target, request in linked:
        transaction.edit(target, _adding_link(target, request.reverse, label, name))
        # --link "N:Supersedes:Superseded by" is a supersede in other words: N's status follows,
        # as with `adrtool link`, or `check` would find the folder inconsistent.
        if relation_of(request.relation) is Relation.SUPERSEDES:
            transaction.edit(target, _superseding(target, label, name, number))


def _respelt(
    edit: Callable[[str], str], record: Record, label: str, href: str, spelling: str
) -> Callable[[str], str]:
    """``edit``, with the "Superseded by" link it adds spelt ``{spelling}d by`` instead."""
    written = link_line("Superseded by", label, href)
    wanted = link_line(f"{spelling}d by", label, href)
    return lambda text: edit(text).replace(written, wanted, 1)


def _distinct(records: list[Record]) -> list[Record]:
    seen: dict[Path, Record] = {}
    for record in records:
        seen.setdefault(record.path, record)
    return list(seen.values())


def link_records(
    folder: AdrFolder, source_ref: str, relation: str, target_ref: str, reverse: str
) -> None:
    """``adr link``: SOURCE gets ``relation`` to TARGET, TARGET gets ``reverse`` to SOURCE."""
    relation, reverse = check_wording(relation, reverse)
    with _editing(folder) as transaction:
        source, target = folder.find(source_ref), folder.find(target_ref)
        if source.path == target.path:
            raise BadUsage(
                f"record {source.number} cannot link to itself; name two different records"
            )
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


def set_record_status(folder: AdrFolder, reference: str, status: str) -> Record:
    chosen = check_status(status, folder.statuses)
    with _editing(folder) as changes:
        record = folder.find(reference)
        _check_status_agrees_with_links(record, chosen)
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
        changes.edit(record, lambda _: text)
    return record


def _check_status_agrees_with_links(record: Record, status: str) -> None:
    """Refuse a status the record's own links contradict, which `adrtool check` would reject."""
    successors = ", ".join(map(str, record.superseded_by))
    if successors and status != "superseded":
        raise AdrError(
            f"record {record.ident} is superseded by {successors}, so its status stays "
            f"superseded; to take the decision up again, record it anew with "
            f"'adrtool supersede {record.superseded_by[0]} TITLE'"
        )


def renumber(folder: AdrFolder, reference: str) -> Path:
    """Move a record to the next free number and point every link to it at its new name.

    The record moves by one rename (see _move); under the folder's lock no other adrtool can
    take the new number meanwhile.
    """
    with _editing(folder) as changes:
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
        new_number = max(folder.numbers_taken(), default=0) + 1
        new_path = folder.path / pattern.renamed(record.path.name, new_number)
        for other in others:
            changes.edit(
                other,
                functools.partial(
                    other.dialect.retarget,
                    old_name=record.path.name,
                    new_name=new_path.name,
                    old_number=record.number,
                    new_number=new_number,
                ),
            )
        moved = record.dialect.set_heading_number(record.text, new_number)
        changes.moves.append((record.path, new_path, moved))
    return new_path


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
    # A page someone else keeps is left alone; the command line says so.
    if index_state(folder.index_path) in (IndexState.ABSENT, IndexState.OURS):
        write_index(folder)
    return path
