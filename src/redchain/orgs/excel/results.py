"""What an import reports back: counts when it worked, every problem when it did not."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem: the Excel row number (None for the whole file), the column title, the value, why."""

    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportResult:
    """The outcome of one import. With any error nothing was written and the counts stay at zero."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_errors(self) -> list[RowError]:
        return [error for error in self.errors if error.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [error for error in self.errors if error.row is not None]

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.row_errors})
