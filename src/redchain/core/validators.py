"""Django validators wrapping the pure checks in :mod:`redchain.core`, with translated messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from redchain.core import idcard, uscc


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(value)
    except uscc.USCCError as exc:
        raise ValidationError(
            _("Invalid unified social credit code: %(reason)s"), code="uscc", params={"reason": str(exc)}
        ) from exc


def validate_id_number(value: str) -> None:
    if value and not idcard.is_valid(value):
        raise ValidationError(_("Invalid resident ID number."), code="id_number")


def validate_phone(value: str) -> None:
    digits = value.replace("-", "").replace(" ", "")
    if value and not (digits.isdigit() and 7 <= len(digits) <= 12):
        raise ValidationError(_("Invalid phone number."), code="phone")
