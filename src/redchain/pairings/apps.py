from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingsConfig(AppConfig):
    name = "redchain.pairings"
    label = "pairings"
    verbose_name = _("Pairings")

    def ready(self) -> None:
        from redchain.orgs import hooks
        from redchain.pairings import panels

        for registry, panel in (
            (hooks.PARTY_ORG_PANELS, panels.party_org_panel),
            (hooks.ENTERPRISE_PANELS, panels.enterprise_panel),
        ):
            if panel not in registry:
                registry.append(panel)
