"""A failed page: where it failed, how, and the page line to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict


class FailureData(TypedDict):
    """A failure as it travels between processes (``protocol``)."""

    path: str
    line: int
    error_type: str
    message: str
    excerpt: str


@dataclass(frozen=True)
class Failure:
    """One failed page: where, what, and the page line to show."""

    path: str
    line: int
    error_type: str
    message: str
    excerpt: str = ""

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}: {self.error_type}: {self.message}"
        return f"{head}\n{self.excerpt}" if self.excerpt else head

    def data(self) -> FailureData:
        return FailureData(
            path=self.path,
            line=self.line,
            error_type=self.error_type,
            message=self.message,
            excerpt=self.excerpt,
        )

    @classmethod
    def from_data(cls, data: FailureData) -> Failure:
        return cls(data["path"], data["line"], data["error_type"], data["message"], data["excerpt"])
