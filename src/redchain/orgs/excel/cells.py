"""One cell to one clean value, or a :class:`CellError` whose message a clerk can act on.

Cells come from openpyxl as ``str``, ``int``, ``float``, ``bool``, ``datetime`` or ``None``: Excel turns
digit strings into numbers and dates into datetimes unless the cell is formatted as text, so every parser
accepts the forms Excel is likely to have produced.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from redchain.core import idcard, uscc
from redchain.core.validators import message_of, validate_id_number, validate_phone, validate_uscc
from redchain.orgs.excel.columns import Column, Parse, in_languages, normalise

# Separators people use between several qualifications in one cell.
_MULTI_SEPARATORS = re.compile(r"[、,，;；\n]+")
# 2024-03-15, 2024/3/15, 2024.3.15 and 2024年3月15日.
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MAX_INTEGER = 2_147_483_647  # PositiveIntegerField on PostgreSQL


class CellError(ValueError):
    """A cell's value is unusable; ``str(error)`` is the translated reason."""


def as_text(value: Any) -> str:
    """The cell as the text a person sees, without the ``.0`` Excel adds to whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return as_text(value) == ""


class ChoiceIndex:
    """Every accepted spelling of a choice column's values, mapped to the stored code."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self._codes: dict[str, str] = {}
        for option in column.options:
            spellings = {option.code, *option.aliases, *in_languages(option.label)}
            self._codes.update({normalise(spelling): option.code for spelling in spellings})

    def code(self, text: str) -> str:
        found = self._codes.get(normalise(text))
        if found is None:
            allowed = "、".join(str(option.label) for option in self.column.options)
            raise CellError(
                _("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return found

    def codes(self, text: str) -> tuple[str, ...]:
        parts = [part.strip() for part in _MULTI_SEPARATORS.split(text) if part.strip()]
        return tuple(dict.fromkeys(self.code(part) for part in parts))


def parse_cell(column: Column, value: Any, choices: ChoiceIndex | None = None) -> Any:
    """The clean value of a non-blank cell; raises :class:`CellError`."""
    if column.parse is Parse.CHOICE and choices is not None:
        return choices.code(as_text(value))
    if column.parse is Parse.MULTI_CHOICE and choices is not None:
        return choices.codes(as_text(value))
    return _PARSERS[column.parse](column, value)


def parse_text(column: Column, value: Any) -> str:
    text = as_text(value)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("At most %(max)s characters; this has %(length)s.")
            % {"max": column.max_length, "length": len(text)}
        )
    return text


def parse_decimal(column: Column, value: Any) -> Decimal:
    number = _decimal(value)
    max_digits, places = column.digits or (18, 2)
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise CellError(_("At most %(places)s decimal places.") % {"places": places})
    number = number.quantize(quantum)
    if len(number.as_tuple().digits) > max_digits:
        raise CellError(_("The number is too large."))
    return number


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Not a number."))
    # Floats carry binary noise (0.1 + 0.2); ten places is far below anything the zone records.
    text = str(round(value, 10)) if isinstance(value, float) else as_text(value).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Not a number.")) from None
    if not number.is_finite():
        raise CellError(_("Not a number."))
    if number < 0:
        raise CellError(_("Must not be negative."))
    return number


def parse_integer(column: Column, value: Any) -> int:
    number = _decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("Not a whole number."))
    if number > _MAX_INTEGER:
        raise CellError(_("The number is too large."))
    return int(number)


def parse_date(column: Column, value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(as_text(value))
    try:
        if match is None:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("Not a date; write it like 2024-03-15.")) from None


def parse_uscc(column: Column, value: Any) -> str:
    code = uscc.normalise(as_text(value))
    return _checked(validate_uscc, code)


def parse_phone(column: Column, value: Any) -> str:
    return _checked(validate_phone, as_text(value))


def parse_id_number(column: Column, value: Any) -> str:
    return _checked(validate_id_number, idcard.normalise(as_text(value)))


def _checked(validator, value: str) -> str:
    """Run one of core.validators, the same check the model runs, and report its translated reason."""
    try:
        validator(value)
    except ValidationError as exc:
        raise CellError(message_of(exc)) from None
    return value


_PARSERS = {
    Parse.TEXT: parse_text,
    Parse.DECIMAL: parse_decimal,
    Parse.INTEGER: parse_integer,
    Parse.DATE: parse_date,
    Parse.USCC: parse_uscc,
    Parse.PHONE: parse_phone,
    Parse.ID_NUMBER: parse_id_number,
}
