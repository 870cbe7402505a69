from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "redchain.exchange"
    label = "exchange"
    verbose_name = _("Needs and resources")

    def ready(self) -> None:
        from redchain.exchange import panels
        from redchain.orgs import hooks

        hooks.ENTERPRISE_PANELS.append(panels.enterprise_panel)
        hooks.ALLIANCE_PANELS.append(panels.alliance_panel)
