"""Deterministic fake values for the demo zone: names, phones, ID numbers, credit codes, dates.

Each build stage draws from its own stream (:meth:`Fakes.stage`), seeded from the demo seed and the stage's
name, so changing how one stage draws does not reshuffle every later stage. Values that must be unique
(phones, ID numbers, credit codes, firm names) are tracked across stages.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from redchain.core import idcard, uscc
from redchain.demo import names

T = TypeVar("T")

# GB 11714 organisation code: eight characters and a check character, weights below, modulus 11.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# New registrations since the 2015 reform carry codes beginning "MA"; older firms kept their old code.
_USCC_REFORM = date(2015, 10, 1)


class Fakes:
    """A seeded source of realistic values; never repeats a phone, ID number or credit code."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._used: set[str] = set()

    def stage(self, name: str) -> Fakes:
        """Switch to the stream of one build stage (string seeds hash the same way on every run)."""
        self.rng = random.Random(f"{self.seed}:{name}")
        return self

    # Plain draws -----------------------------------------------------------------------------------

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, items: Sequence[T]) -> T:
        return self.rng.choice(items)

    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        return self.rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # People ----------------------------------------------------------------------------------------

    def person(self, *, gender: str | None = None, male_share: float = 0.68) -> tuple[str, str]:
        """A (name, gender) pair; two-character given names are the more common."""
        gender = gender or ("male" if self.chance(male_share) else "female")
        chars = names.MALE_CHARS if gender == "male" else names.FEMALE_CHARS
        given = self.pick(chars) if self.chance(0.3) else self.pick(chars) + self.pick(chars)
        return self.weighted(names.SURNAMES) + given, gender

    def mobile(self) -> str:
        return self._unique(lambda: self.pick(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}")

    def landline(self, prefix: str) -> str:
        return self._unique(lambda: prefix + f"{self.rng.randrange(10**6):06d}")

    def id_number(self, *, birth: date, gender: str, local: bool = True) -> str:
        """A valid 18-digit resident ID number; the 17th digit is odd for men and even for women."""
        division = self.weighted(names.LOCAL_DIVISIONS if local else names.DISTANT_DIVISIONS)

        def draw() -> str:
            order = self.rng.randrange(100) * 10 + self.rng.randrange(5) * 2 + (1 if gender == "male" else 0)
            first17 = f"{division}{birth:%Y%m%d}{order:03d}"
            return first17 + idcard.check_character(first17)

        return self._unique(draw)

    # Firms -----------------------------------------------------------------------------------------

    def credit_code(self, *, division: str, established: date) -> str:
        """A valid credit code of a company (authority 9, kind 1) registered in ``division``."""

        def draw() -> str:
            if established >= _USCC_REFORM:
                body = "MA" + "".join(self.pick(uscc.ALPHABET) for _ in range(6))
            else:
                body = f"{self.rng.randrange(10**7, 10**8)}"
            return uscc.make("91" + division + body + _org_code_check(body))

        return self._unique(draw)

    def unique_name(self, draw) -> str:
        """A name from ``draw()`` that no earlier call returned."""
        return self._unique(draw)

    def _unique(self, draw) -> str:
        for _ in range(1000):
            value = draw()
            if value not in self._used:
                self._used.add(value)
                return value
        raise RuntimeError("the demo generator ran out of unique values")


def _org_code_check(body: str) -> str:
    """The GB 11714 check character of an eight-character organisation code body."""
    total = sum(_char_value(ch) * weight for ch, weight in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _char_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
