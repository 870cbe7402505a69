"""Refusals shared by every app's services: a step that cannot be taken, said in Chinese and English.

Views show the message in the reader's language; the API answers ``{"detail": "中文 / English"}`` with
``status_code`` (``api/errors.py``). The demand loop's ``LoopError`` family derives from these.
"""

from __future__ import annotations


class ActionRefused(Exception):
    """The action does not apply to the object as it stands now (HTTP 409)."""

    status_code = 409

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en

    def localised(self, language: str | None) -> str:
        """The Chinese text unless the reader chose English."""
        return self.en if (language or "").startswith("en") else self.zh


class Forbidden(ActionRefused):
    """The user may not do this to this object (HTTP 404, so nothing is confirmed to outsiders)."""

    status_code = 404


def require(allowed: bool) -> None:
    """Refuse with the standard wording unless ``allowed``."""
    if not allowed:
        raise Forbidden("您无权执行此操作", "You may not do this")
