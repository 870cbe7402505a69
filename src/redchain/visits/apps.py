from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "redchain.visits"
    label = "visits"
    verbose_name = _("Enterprise visits")

    def ready(self) -> None:
        from redchain.demands import hooks as demand_hooks
        from redchain.orgs import hooks as org_hooks
        from redchain.visits import panels

        if panels.enterprise_panel not in org_hooks.ENTERPRISE_PANELS:
            org_hooks.ENTERPRISE_PANELS.append(panels.enterprise_panel)
        if panels.demand_panel not in demand_hooks.DETAIL_PANELS:
            demand_hooks.DETAIL_PANELS.append(panels.demand_panel)
