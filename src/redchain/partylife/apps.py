from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "redchain.partylife"
    label = "partylife"
    verbose_name = _("Party life")

    def ready(self) -> None:
        from redchain.orgs import hooks
        from redchain.partylife.panels import party_org_panel

        hooks.PARTY_ORG_PANELS.append(party_org_panel)
