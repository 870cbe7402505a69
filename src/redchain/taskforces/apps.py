from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcesConfig(AppConfig):
    name = "redchain.taskforces"
    label = "taskforces"
    verbose_name = _("Task forces and suggestions")

    def ready(self) -> None:
        from redchain.orgs import hooks
        from redchain.taskforces import panels

        if panels.party_org_panel not in hooks.PARTY_ORG_PANELS:
            hooks.PARTY_ORG_PANELS.append(panels.party_org_panel)
        if panels.enterprise_panel not in hooks.ENTERPRISE_PANELS:
            hooks.ENTERPRISE_PANELS.append(panels.enterprise_panel)
