from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "redchain.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from redchain.dashboards import panels
        from redchain.orgs import hooks as org_hooks

        # First among the added sections: the summary before the details of each mechanism.
        for registry in (org_hooks.ALLIANCE_PANELS, org_hooks.PARTY_ORG_PANELS):
            if panels.outcome_panel not in registry:
                registry.insert(0, panels.outcome_panel)
