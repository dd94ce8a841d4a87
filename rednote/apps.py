from django.apps import AppConfig


class RednoteConfig(AppConfig):
    name = "rednote"
    verbose_name = "RedNote"
