"""Chinese text helpers: pinyin keys for sorting and for searching by pinyin or initials."""

from pypinyin import Style, lazy_pinyin


def sort_key(text: str) -> str:
    """A key that sorts Chinese names the way people expect (by pinyin), identically on SQLite and PostgreSQL.

    Database collations differ between engines and are often byte order for Chinese, so the key is stored.
    """
    return " ".join(lazy_pinyin(text, errors="default")).lower()[:255]


def search_key(text: str) -> str:
    """Full pinyin and initials run together, so '红旗' is found by 'hongqi' and by 'hq'."""
    full = "".join(lazy_pinyin(text, errors="default")).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()
    return f"{full} {initials}"[:500]
