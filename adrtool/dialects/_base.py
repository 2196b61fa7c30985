"""What every dialect provides. One module per dialect implements it; nothing outside
``adrtool.dialects`` asks which dialect a record is written in."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from adrtool import editing
from adrtool.records import STATUSES

if TYPE_CHECKING:
    from adrtool.records import Record


class Dialect(ABC):
    """One way of writing records: where the title, date, status and links are kept."""

    name: ClassVar[str]
    # What the reference page and `list --json` ("format") call it.
    summary: ClassVar[str]
    # Dialects are asked in this order whether a record is theirs; lower asks first.
    priority: ClassVar[int]
    # The status a new record gets when `new` is given none: each format's own habit.
    default_status: ClassVar[str]
    # Fields the format lets a record leave out: `check` does not ask for them.
    optional_fields: ClassVar[frozenset[str]] = frozenset()
    # Statuses the format's own template offers beyond the configured ones.
    extra_statuses: ClassVar[tuple[str, ...]] = ()
    # How `check` tells the user to write a missing title or date.
    title_hint: ClassVar[str] = "'# Title'"
    date_hint: ClassVar[str]
    # The name of the built-in template a new record of this dialect starts from.
    template: ClassVar[str]

    @abstractmethod
    def claims(self, name: str, lines: list[str]) -> bool:
        """Whether a record with this file name and these lines is written in this dialect."""

    @abstractmethod
    def read(self, record: Record, lines: list[str]) -> None:
        """Fill in the record's title, date, status and links from its lines."""

    @abstractmethod
    def set_status(self, text: str, status: str, known: tuple[str, ...] = STATUSES) -> str:
        """The text with ``status`` (as status_word gives it) as the record's status; ``known``
        are the statuses the folder uses, so that the old one is found."""

    @abstractmethod
    def add_link(self, text: str, relation: str, label: str, href: str) -> str:
        """The text with ``relation [label](href)`` where the dialect keeps links; no duplicate."""

    @abstractmethod
    def supersede(
        self, text: str, label: str, href: str, number: int, known: tuple[str, ...] = STATUSES
    ) -> str:
        """The text of a record that the record ``href`` (named ``label``, number ``number``)
        now supersedes, worded as the format words it."""

    @abstractmethod
    def label(self, number: int, title: str, name: str) -> str:
        """How other records' links name a record of this dialect."""

    def status_word(self, status: str) -> str:
        """A status as this format writes it."""
        return status

    def set_heading_number(self, text: str, number: int) -> str:
        """The text with its heading renumbered; formats whose heading has no number keep it."""
        return text

    def retarget(
        self, text: str, old_name: str, new_name: str, old_number: int, new_number: int
    ) -> str:
        """The text with its links to a renumbered record pointed at the record's new name,
        and the labels of relation links renumbered."""
        return editing.retarget_links(
            text, old_name, new_name, editing.relabel_patterns(old_number, new_number)
        )

    def fill_template(self, text: str, *, date: str, status: str) -> str:
        """A rendered template with its date and status fields set, whatever they held."""
        return text

    def __repr__(self) -> str:
        return f"<dialect {self.name}>"
