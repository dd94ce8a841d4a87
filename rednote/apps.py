from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class RednoteConfig(AppConfig):
    name = "rednote"
    verbose_name = "RedNote"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the security policy's deploy checks


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's rate-limited login (`rednote.admin.AdminSite`);
    named in INSTALLED_APPS, never this module's default."""

    default = False
    default_site = "rednote.admin.AdminSite"
