from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "redchain.dashboards"
    label = "dashboards"
