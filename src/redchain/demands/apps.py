from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "redchain.demands"
    label = "demands"
    verbose_name = _("Enterprise demands")

    def ready(self) -> None:
        from redchain.demands import panels, rollups
        from redchain.orgs import hooks

        rollups.register()
        if panels.enterprise_panel not in hooks.ENTERPRISE_PANELS:
            hooks.ENTERPRISE_PANELS.insert(0, panels.enterprise_panel)
            hooks.ALLIANCE_PANELS.insert(0, panels.alliance_panel)
