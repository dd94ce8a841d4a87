from django.urls import path, register_converter

from . import control_views, views
from .relationships import RELATIONSHIP_ACTIONS


class HandleConverter:
    """A handle as it may appear in a URL: letters, digits and underscores (any case)."""

    regex = r"[A-Za-z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HandleConverter, "handle")

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("settings/avatar/", views.avatar_update, name="avatar"),
    path("settings/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("settings/export/", control_views.export_request, name="export_request"),
    path(
        "settings/export/<int:export_id>/download/",
        control_views.export_download,
        name="export_download",
    ),
    path("settings/delete/", control_views.account_delete_view, name="delete"),
    # `/@<handle>/` itself, the profile with its notes grid, is served by notes.urls.
    path("@<handle:handle>/followers/", views.followers, name="followers"),
    path("@<handle:handle>/following/", views.following, name="following"),
    path("follow-requests/", views.follow_requests, name="follow_requests"),
    *(
        path(
            f"follow-requests/<handle:handle>/{answer}/",
            views.follow_request_answer,
            {"answer": answer},
            name=f"follow_request_{answer}",
        )
        for answer in ("accept", "decline")
    ),
    *(
        path(f"@<handle:handle>/{action}/", views.graph_action, {"action": action}, name=action)
        for action in RELATIONSHIP_ACTIONS
    ),
]
