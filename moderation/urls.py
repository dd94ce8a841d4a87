"""Moderation pages for people: reporting a note, a comment or a person."""

from django.urls import path

import accounts.urls  # noqa: F401 - registers the `handle` path converter

from . import appeal_views, views

app_name = "moderation"

urlpatterns = [
    path("appeals/", appeal_views.appeal, name="appeal"),
    path("report/note/<int:target_id>/", views.report, {"kind": "note"}, name="report_note"),
    path(
        "report/comment/<int:target_id>/", views.report, {"kind": "comment"}, name="report_comment"
    ),
    path("report/user/<handle:handle>/", views.report, {"kind": "user"}, name="report_user"),
]
