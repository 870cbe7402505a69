"""Fixtures for the API tests."""

import pytest

from redchain.api.tests.helpers import ApiClient


@pytest.fixture
def api(client) -> ApiClient:
    """Calls ``/api/v1/`` as a persona with a bearer token, or anonymously."""
    return ApiClient(client)
