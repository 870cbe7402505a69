from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "redchain.routing"
    label = "routing"
    verbose_name = _("Routing intelligence")

    def ready(self) -> None:
        from redchain.routing.hooks import register

        register()
