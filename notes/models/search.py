"""A note's full-text search document."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .notes import Note


class NoteSearchDocument(models.Model):
    """A note's full-text search document (`notes.search`): its jieba-segmented title, tags,
    text and place as a weighted `tsvector`, kept current by the notes services.

    A table of its own rather than a column of Note: the document is a few kilobytes that no
    card, feed or counter update needs to read or rewrite. PostgreSQL only — its GIN index is
    made by migration 0003 there; on SQLite (the quick start) no row is written and search
    falls back to a contains match (`feeds.search`).
    """

    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("note search document")
        verbose_name_plural = _("note search documents")

    def __str__(self) -> str:
        return f"Search document of note {self.note_id}"
