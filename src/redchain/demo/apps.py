from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "redchain.demo"
    label = "demo"
