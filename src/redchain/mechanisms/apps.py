from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MechanismsConfig(AppConfig):
    name = "redchain.mechanisms"
    label = "mechanisms"
    verbose_name = _("Alliance mechanisms")

    def ready(self) -> None:
        from redchain.mechanisms.panels import alliance_panel
        from redchain.orgs import hooks

        if alliance_panel not in hooks.ALLIANCE_PANELS:
            hooks.ALLIANCE_PANELS.append(alliance_panel)
