"""The versioned REST API, mounted at ``/api/v1/``: OpenAPI at ``openapi.json``, docs at ``docs``.

Every endpoint needs a bearer token or a signed-in session unless it says ``auth=None``, and reads
through the same selectors (``visible_to(user)``) as the pages.
"""

from ninja import NinjaAPI

from redchain.api.auth import API_AUTH
from redchain.api.endpoints import (
    alliances,
    auth,
    chains,
    demands,
    enterprises,
    exchange,
    mechanisms,
    pairings,
    party_orgs,
    partylife,
    routing,
    stats,
    taskforces,
    track,
    visits,
    zones,
)
from redchain.api.errors import install_handlers


class RedchainAPI(NinjaAPI):
    """NinjaAPI with readable OpenAPI operation ids."""

    def get_openapi_operation_id(self, operation) -> str:
        # Short, stable ids ("enterprises", "enterprise_detail") for generated clients; view names are unique.
        return operation.view_func.__name__


api = RedchainAPI(
    title="redchain API",
    version="1",
    description=(
        "红链 redchain: the organisation graph of the development zone and the enterprise demand loop, "
        "scoped to the caller."
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
install_handlers(api)

for module in (
    auth,
    zones,
    chains,
    enterprises,
    alliances,
    party_orgs,
    demands,
    routing,
    track,
    stats,
    mechanisms,
    exchange,
    pairings,
    visits,
    taskforces,
    partylife,
):
    api.add_router("/", module.router)
