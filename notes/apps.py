from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self) -> None:
        from moderation.registry import registry

        from . import services
        from .models import Note

        registry.register(
            Note,
            hide=services.note_hide,
            unhide=services.note_unhide,
            delete=services.note_moderation_delete,
        )
