"""Extension points of the organisation pages, so apps above ``orgs`` add sections without ``orgs`` importing
them (imports run downwards, see docs/ARCHITECTURE.md).

Each list holds callables ``(request, obj) -> list[str]``: ready HTML fragments (rendered with
``render_to_string(..., request=request)``) shown in order at the end of the page. A callable reads through its
own app's selectors, so it shows only what the user may see, and returns ``[]`` when it has nothing to add.

* ``ENTERPRISE_PANELS`` — the 一企一档 page (visits, needs and resources, suggestions …).
* ``ALLIANCE_PANELS`` — an alliance's page (meetings, pacts, matches, feedback …).
* ``PARTY_ORG_PANELS`` — a party organisation's page (party life, brand, rating, pairings …).

Apps register in their ``AppConfig.ready()``.

* ``enterprise_regrouping`` / ``enterprise_regrouped`` — signals sent inside the changing transaction just
  before and just after an enterprise's industry chain or alliance memberships change (``sender=Enterprise``,
  ``enterprise_id=``). The demand dashboards move the enterprise's old demands to their new groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.dispatch import Signal

ENTERPRISE_PANELS: list[Callable] = []
ALLIANCE_PANELS: list[Callable] = []
PARTY_ORG_PANELS: list[Callable] = []

enterprise_regrouping = Signal()
enterprise_regrouped = Signal()


@contextmanager
def regrouping(enterprise) -> Iterator[None]:
    """Announce a change of the enterprise's chain or alliances around the block that makes it."""
    sender = type(enterprise)
    enterprise_regrouping.send(sender=sender, enterprise_id=enterprise.pk)
    yield
    enterprise_regrouped.send(sender=sender, enterprise_id=enterprise.pk)


def panels(registry: list[Callable], request, obj) -> list[str]:
    """Every fragment the registered callables contribute for ``obj``."""
    return [html for panel in registry for html in panel(request, obj)]
