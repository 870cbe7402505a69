"""Django validators wrapping the pure checks in :mod:`redchain.core`, with translated messages.

These messages are the only place the reasons are worded, so a form, the model, the Excel importer and
the API all say the same thing about the same mistake.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from redchain.core import idcard, uscc

USCC_MESSAGES = {
    "length": _("The code has %(length)s characters; a unified social credit code has 18."),
    "character": _("The character “%(char)s” is not allowed (codes never use I, O, Z, S or V)."),
    "division": _("Characters 3 to 8 must be digits (the administrative division code)."),
    "check": _(
        "The check character is “%(actual)s” but the first 17 characters give “%(expected)s”: "
        "the code is mistyped."
    ),
}
ID_NUMBER_MESSAGES = {
    "length": _("The ID number has %(length)s characters; it must have 18."),
    "format": _("An ID number is 17 digits followed by a digit or X."),
    "check": _(
        "The check digit is “%(actual)s” but the first 17 digits give “%(expected)s”: the number is mistyped."
    ),
}
PHONE_MESSAGE = _("Not a phone number: use 7 to 12 digits (dashes and spaces are allowed).")


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(value)
    except uscc.USCCError as exc:
        raise ValidationError(USCC_MESSAGES[exc.code], code=f"uscc_{exc.code}", params=exc.params) from exc


def validate_id_number(value: str) -> None:
    if not value:
        return
    try:
        idcard.validate(value)
    except idcard.IdNumberError as exc:
        raise ValidationError(ID_NUMBER_MESSAGES[exc.code], code=f"id_{exc.code}", params=exc.params) from exc


def validate_phone(value: str) -> None:
    digits = value.replace("-", "").replace(" ", "")
    if value and not (digits.isdigit() and 7 <= len(digits) <= 12):
        raise ValidationError(PHONE_MESSAGE, code="phone")


def message_of(error: ValidationError) -> str:
    """The rendered text of a single-message ValidationError."""
    return " ".join(str(message) for message in error.messages)
