"""``{% load figures %}``: counts written the way each language's readers expect them on a dashboard.

Django's own zh-hans number format groups by four digits with no separator, so a count of 2,150,000 renders as
2150000. Chinese reports and big screens write large counts in 万 and 亿 (215万, 1.2亿) and smaller ones with
a comma, as English does; ``figure`` does that, so the same template reads right in both languages.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

register = template.Library()

WAN, YI = 10_000, 100_000_000
# Below this a count is shown in full (12,345); from here on in 万 (12.3万). 100,000 keeps every five-digit
# count exact, which is what a department's monthly figures are.
WAN_FROM = 100_000


def _trimmed(number: Decimal, places: int) -> str:
    text = f"{number:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def figure(value):
    """12,345 in both languages; from 100,000 on, 12.3万 / 1.23亿 in Chinese (123,456 in English)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return value
    if not number.is_finite():
        return value
    chinese = (get_language() or "").lower().startswith("zh")
    magnitude = abs(number)
    if chinese and magnitude >= YI:
        return f"{_trimmed(number / YI, 2)}亿"
    if chinese and magnitude >= WAN_FROM:
        return f"{_trimmed(number / WAN, 1)}万"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")
