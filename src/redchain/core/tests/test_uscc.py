"""GB 32100-2015 unified social credit codes."""

import pytest

from redchain.core import uscc

# The worked example commonly quoted with the standard.
EXAMPLE = "91350100M000100Y43"
REAL_CODES = [EXAMPLE]


def test_the_standard_example_validates():
    assert uscc.validate(EXAMPLE) == EXAMPLE


def test_check_character_is_computed_with_the_standard_weights():
    assert uscc.check_character("91350100M000100Y4") == "3"


def test_make_completes_a_prefix_with_its_check_character():
    code = uscc.make("91440100MA5CXXXX0")
    assert len(code) == 18 and uscc.is_valid(code)


def test_lower_case_and_spaces_are_normalised():
    assert uscc.validate(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "length 17"),
        ("91350100M000100Y44", "check character"),
        ("91350100M0001I0Y43", "invalid character 'I'"),
        ("9135A100M000100Y43", "division code"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    with pytest.raises(uscc.USCCError, match=reason):
        uscc.validate(code)


def test_every_single_character_change_is_detected():
    code = REAL_CODES[0]
    for position in range(17):
        for ch in uscc.ALPHABET:
            if ch != code[position]:
                mutated = code[:position] + ch + code[position + 1 :]
                assert not uscc.is_valid(mutated), mutated
