"""The OpenAPI schema and the interactive docs."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/auth/token",
    "/api/v1/me",
    "/api/v1/zones",
    "/api/v1/zones/{id}",
    "/api/v1/enterprises",
    "/api/v1/enterprises/{id}",
    "/api/v1/chains",
    "/api/v1/chains/{id}",
    "/api/v1/alliances",
    "/api/v1/alliances/{id}",
    "/api/v1/party-orgs",
    "/api/v1/party-orgs/{id}",
    "/api/v1/departments",
    "/api/v1/departments/{id}",
]


def test_schema_loads_and_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert set(PATHS) <= set(schema["paths"])
    assert schema["info"]["version"] == "1"


def test_schema_declares_bearer_and_session_auth(client):
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]

    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["type"] == "apiKey"


def test_token_endpoint_needs_no_auth_and_lists_need_it(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "security" not in paths["/api/v1/auth/token"]["post"]
    assert paths["/api/v1/enterprises"]["get"]["security"]


def test_list_documents_filters_and_pagination(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/enterprises"]["get"]

    params = {param["name"] for param in operation["parameters"]}
    assert {"zone", "chain", "segment", "scale", "qualification", "q", "limit", "offset"} <= params


def test_docs_page_renders(client):
    assert client.get("/api/v1/docs").status_code == 200
