"""Unified social credit code (统一社会信用代码) per GB 32100-2015.

Eighteen characters from a 31-symbol alphabet (digits and upper-case letters without I, O, Z, S, V).
Position 1 is the registration authority, 2 the organisation kind, 3-8 the administrative division code,
9-17 the organisation code, and 18 a check character computed with weights 3^(i) mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class USCCError(ValueError):
    """Raised with a reason a person can act on: ``code`` names the failed check, ``params`` its details.

    The message is English for logs; :mod:`redchain.core.validators` turns ``code`` into translated text.
    """

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def check_character(first17: str) -> str:
    """The 18th character for a 17-character prefix."""
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper-case and strip spaces: people paste codes from PDFs and spreadsheets."""
    return "".join(code.split()).upper()


def validate(code: str) -> str:
    """Return the normalised code or raise :class:`USCCError` saying what is wrong."""
    code = normalise(code)
    if len(code) != 18:
        raise USCCError(f"length {len(code)}, expected 18", code="length", length=len(code))
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        raise USCCError(f"invalid character {bad[0]!r}", code="character", char=bad[0])
    if not code[2:8].isdigit():
        raise USCCError("characters 3-8 must be a division code of digits", code="division")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            f"check character {code[17]!r} does not match {expected!r}",
            code="check",
            actual=code[17],
            expected=expected,
        )
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except USCCError:
        return False
    return True


def make(prefix17: str) -> str:
    """Complete a 17-character prefix with its check character (used by the demo generator and tests)."""
    prefix17 = normalise(prefix17)
    if len(prefix17) != 17 or any(ch not in _VALUE for ch in prefix17):
        raise USCCError("a prefix must be 17 characters of the USCC alphabet", code="prefix")
    return prefix17 + check_character(prefix17)
