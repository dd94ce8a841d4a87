from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from .permissions import moderator_group_ensure

        # After every migrate and flush: the Moderator group and its permissions.
        post_migrate.connect(
            moderator_group_ensure, sender=self, dispatch_uid="moderator_group_ensure"
        )
