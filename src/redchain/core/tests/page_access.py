"""The table-driven four-way checks of the party-work pages (``<app>/tests/test_access.py``): one request per
route, its answer and the audit rows it wrote, and the assertions every app makes of anonymous visitors,
users without membership, readers and writers. The API's counterpart is ``redchain.api.tests.access``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.urls import reverse

from redchain.audit.models import AuditEntry


def no_args(w, r) -> list:
    return []


@dataclass(frozen=True)
class Route:
    """One request to a page: its arguments (which may create the record they need), an optional query string
    (text, or a function of the same two fixtures) and, for a write, the body the permitted user posts.
    Each app subclasses it to name its URL namespace."""

    namespace: ClassVar[str] = ""
    name: str
    args: Callable[[Any, Any], list] = no_args
    body: Callable[[Any, Any], dict] | None = None
    # Keyword-only, so that the fields an app adds (a writer, say) follow ``body`` in positional use.
    query: str | Callable[[Any, Any], str] = field(default="", kw_only=True)

    def url(self, w, r) -> str:
        query = self.query(w, r) if callable(self.query) else self.query
        return reverse(f"{self.namespace}:{self.name}", args=self.args(w, r)) + query


def call(client, route: Route, w, r, body: dict | None = None):
    """The answer to one request, and how many audit rows the request itself wrote."""
    url = route.url(w, r)
    payload = (route.body(w, r) if body is None else body) if route.body else None
    before = AuditEntry.objects.count()
    response = client.post(url, payload) if route.body else client.get(url)
    return response, AuditEntry.objects.count() - before


def assert_anonymous_sent_to_login(client, routes: Iterable[Route], w, r) -> None:
    for route in routes:
        response, written = call(client, route, w, r)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route.name
        assert written == 0, route.name


def assert_refused_without_writing(client, routes: Iterable[Route], w, r, status: int = 403) -> None:
    for route in routes:
        response, written = call(client, route, w, r)
        assert (response.status_code, written) == (status, 0), (route.name, response.status_code)


def assert_reads(client, pages: Iterable[Route], exports: Iterable[Route], w, r) -> None:
    """Pages answer 200; exports are workbooks whose Chinese file name travels UTF-8 encoded."""
    for route in pages:
        assert call(client, route, w, r)[0].status_code == 200, route.name
    for route in exports:
        response, _ = call(client, route, w, r)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), route.name
        assert "filename*=UTF-8''" in response["Content-Disposition"], route.name


def assert_writes_audited(client, user, routes: Iterable[Route], w, r) -> None:
    """A form opens (200) without writing; a post redirects (302) and leaves audit rows by ``user``."""
    for route in routes:
        before = AuditEntry.objects.filter(actor=user).count()
        response, _ = call(client, route, w, r)
        assert response.status_code == (302 if route.body else 200), (route.name, response.status_code)
        written = AuditEntry.objects.filter(actor=user).count() - before
        assert written > 0 if route.body else written == 0, route.name
