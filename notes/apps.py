from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self) -> None:
        from moderation.registry import held_registry, registry

        from . import events, moderation, page_scopes, representation, services
        from .models import Comment, Note

        # Held by a keyword rule, then approved: published (a note) or shown (a comment).
        held_registry.register(Note, release=services.note_release)
        held_registry.register(Comment, release=services.comment_release)

        # A note's cached JSON parts are dropped when it enters or leaves circulation.
        def forget(sender, note_id: int, **kwargs) -> None:
            representation.note_parts_forget(note_id=note_id)

        events.note_published.connect(forget, dispatch_uid="notes.representation.published")
        events.note_withdrawn.connect(forget, dispatch_uid="notes.representation.withdrawn")
        # Visitors' cached pages go stale when what they showed changes (`page_scopes`).
        page_scopes.connect()

        registry.register(
            Note,
            hide=services.note_hide,
            unhide=services.note_unhide,
            delete=services.note_moderation_delete,
            kind="note",
            visible_get=moderation.note_visible_get,
            owner_id=lambda note: note.author_id,
            rows_get=moderation.notes_rows_get,
            preview=moderation.note_preview,
        )
        registry.register(
            Comment,
            hide=services.comment_hide,
            unhide=services.comment_unhide,
            delete=services.comment_moderation_delete,
            kind="comment",
            visible_get=moderation.comment_visible_get,
            owner_id=lambda comment: comment.author_id,
            rows_get=moderation.comments_rows_get,
            preview=moderation.comment_preview,
        )

        # The person's notes, comments, likes and boards: in their data export, and erased
        # when they close their account (`accounts.personal_data`).
        from accounts.personal_data import registry as personal_data

        from . import personal_data as notes_personal_data

        personal_data.register(
            "notes",
            export=notes_personal_data.notes_export,
            erase=notes_personal_data.notes_erase,
            order=10,
        )
