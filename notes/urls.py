"""Routes for notes pages. Included from rednote/urls.py before `accounts.urls`, so that
`/@<handle>/` renders the profile with its notes grid (see `views.profile`)."""

from django.urls import path, register_converter

import accounts.urls  # noqa: F401 - registers the `handle` path converter

from . import views
from .models import RenditionKind
from .views import translations as translation_views


class RenditionKindConverter:
    regex = "|".join(RenditionKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RenditionKindConverter, "rendition")

app_name = "notes"

urlpatterns = [
    path("notes/new/", views.note_create, name="new"),
    path("notes/media/", views.media_upload, name="media"),
    path("notes/<int:note_id>/", views.note_detail, name="detail"),
    path("notes/<int:note_id>/status/", views.note_status, name="status"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="delete"),
    path("notes/<int:note_id>/like/", views.note_like, name="like"),
    path("notes/<int:note_id>/unlike/", views.note_unlike, name="unlike"),
    path("notes/<int:note_id>/collect/", views.note_collect, name="collect"),
    path("notes/<int:note_id>/uncollect/", views.note_uncollect, name="uncollect"),
    path("notes/<int:note_id>/comments/", views.note_comments, name="comments"),
    path("comments/<int:comment_id>/reply/", views.comment_reply_form, name="comment_reply_form"),
    path("comments/<int:comment_id>/replies/", views.comment_replies, name="comment_replies"),
    path("comments/<int:comment_id>/like/", views.comment_like, name="comment_like"),
    path("comments/<int:comment_id>/unlike/", views.comment_unlike, name="comment_unlike"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    # The bilingual view: translations and community translations (notes.views.translations).
    path(
        "notes/<int:note_id>/translation/",
        translation_views.note_translation,
        name="note_translation",
    ),
    path(
        "comments/<int:comment_id>/translation/",
        translation_views.comment_translation,
        name="comment_translation",
    ),
    path(
        "notes/<int:note_id>/comments/translation/",
        translation_views.thread_translation,
        name="thread_translation",
    ),
    path(
        "translations/<str:kind>/<int:object_id>/suggest/",
        translation_views.translation_suggest,
        name="translation_suggest",
    ),
    path(
        "translations/<str:kind>/<int:object_id>/feedback/",
        translation_views.translation_feedback,
        name="translation_feedback",
    ),
    path(
        "translations/community/<int:suggestion_id>/vote/",
        translation_views.translation_vote,
        name="translation_vote",
    ),
    path(
        "translations/community/<int:suggestion_id>/accept/",
        translation_views.translation_accept,
        name="translation_accept",
    ),
    path(
        "notes/<int:note_id>/images/<int:image_id>/<rendition:kind>.webp",
        views.note_image,
        name="image",
    ),
    path("boards/new/", views.board_create, name="board_create"),
    path("boards/<int:board_id>/", views.board_detail, name="board"),
    path("boards/<int:board_id>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:board_id>/delete/", views.board_delete, name="board_delete"),
    path(
        "boards/<int:board_id>/notes/<int:note_id>/remove/",
        views.board_note_remove,
        name="board_remove",
    ),
    path("@<handle:handle>/", views.profile, name="profile"),
    path("@<handle:handle>/boards/", views.boards, name="boards"),
    path("@<handle:handle>/liked/", views.liked, name="liked"),
]
