from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "redchain.api"
    label = "api"
