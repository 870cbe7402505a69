"""Resident ID numbers (居民身份证号码, GB 11643-1999) and masking of personal data for display."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


class IdNumberError(ValueError):
    """Why a resident ID number is invalid: ``code`` names the failed check, ``params`` its details."""

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def normalise(number: str) -> str:
    return "".join(number.split()).upper()


def validate(number: str) -> str:
    """Return the normalised number or raise :class:`IdNumberError`."""
    number = normalise(number)
    if len(number) != 18:
        raise IdNumberError(f"length {len(number)}, expected 18", code="length", length=len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("17 digits and a digit or X expected", code="format")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError("check digit mismatch", code="check", actual=number[17], expected=expected)
    return number


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except IdNumberError:
        return False
    return True


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters: enough to tell two people apart on a list, not to misuse."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: the usual Chinese masking of mobile numbers."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:2] + "*" * (len(phone) - 2)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
