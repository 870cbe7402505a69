"""Helpers for the API tests: a client that calls ``/api/v1/`` as a persona with a bearer token."""

from __future__ import annotations

from redchain.accounts.services import api_token_issue

BASE = "/api/v1/"


class ApiClient:
    """Calls the API as a persona (by bearer token) or anonymously (``as_user=None``)."""

    def __init__(self, client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk], _ = api_token_issue(user=user)
        return self._tokens[user.pk]

    def get(self, path: str, *, as_user=None, **params):
        headers = {"Authorization": f"Bearer {self.token(as_user)}"} if as_user is not None else {}
        return self.client.get(BASE + path, params, headers=headers)

    def post(self, path: str, payload: dict, **headers):
        return self.client.post(BASE + path, payload, content_type="application/json", headers=headers)


def names(response) -> set[str]:
    """The names on one page of a list response."""
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}
