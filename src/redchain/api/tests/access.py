"""The table-driven four-way checks of the party-work endpoints (``test_*_access.py``): one call per endpoint,
its answer and the audit rows it wrote, and the set of endpoints a router serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redchain.api.tests.helpers import BASE
from redchain.audit.models import AuditEntry


@dataclass(frozen=True)
class Endpoint:
    """One call: the path (``{id}`` filled by ``target``, which may create the record it needs) and, for a
    write, the body the permitted caller sends, who that caller is and the status they get."""

    path: str
    target: Callable[[Any, Any], int] | None = None
    body: Callable[[Any, Any], dict] | None = None
    ok: int = 200
    writer: str = ""
    query: str = ""

    @property
    def method(self) -> str:
        return "POST" if self.body else "GET"

    def url(self, w, r) -> str:
        path = self.path.replace("{id}", str(self.target(w, r))) if self.target else self.path
        return path + self.query


def call(api, endpoint: Endpoint, w, r, user=None, body: dict | None = None):
    """The answer to one call as ``user`` (anonymous when None), and how many audit rows the call wrote."""
    url = BASE + endpoint.url(w, r).lstrip("/")
    headers = {"Authorization": f"Bearer {api.token(user)}"} if user is not None else {}
    payload = (endpoint.body(w, r) if body is None else body) if endpoint.body else None
    before = AuditEntry.objects.count()
    if payload is not None:
        response = api.client.post(url, payload, content_type="application/json", headers=headers)
    else:
        response = api.client.get(url, headers=headers)
    return response, AuditEntry.objects.count() - before


def assert_anonymous_401(api, endpoints, w, r) -> None:
    """Every call without a token is a 401 and writes nothing."""
    for endpoint in endpoints:
        response, written = call(api, endpoint, w, r)
        assert (response.status_code, written) == (401, 0), endpoint.path


def assert_outsider_sees_nothing(api, endpoints, lists, w, r, user) -> None:
    """A caller with no membership in the zone gets empty pages of every list and a 404 from every other
    call, and writes nothing."""
    for endpoint in endpoints:
        response, written = call(api, endpoint, w, r, user)
        if endpoint in lists:
            assert response.json() == {"count": 0, "items": []}, endpoint.path
        else:
            assert (response.status_code, written) == (404, 0), endpoint.path


def served(router) -> set[tuple[str, str]]:
    """(method, path) of every operation of a ninja router."""
    return {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
