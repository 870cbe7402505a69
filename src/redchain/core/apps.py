from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "redchain.core"
    label = "core"
    verbose_name = "core"
