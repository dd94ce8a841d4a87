"""Every public API route under /api/v1/, in one list (names per DESIGN.md)."""

from django.urls import path

from accounts import api as accounts_api
from accounts import control_api
from feeds.api import discover as discover_api
from feeds.api import home as home_api
from feeds.api import search as search_api
from feeds.api import tags as tags_api
from moderation import api as moderation_api
from moderation import appeal_views as appeals_api
from notes import api as notes_api
from notes.api import reading as reading_api
from notes.api import translations as translations_api
from notifications import api as notifications_api
from translations.api import dictionary as dictionary_api
from translations.api import glossary as glossary_api

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainApi.as_view(), name="auth-token"),
    path("auth/signup/", accounts_api.SignupApi.as_view(), name="auth-signup"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("me/avatar/", accounts_api.MeAvatarApi.as_view(), name="me-avatar"),
    path("me/export/", control_api.MeExportApi.as_view(), name="me-export"),
    path(
        "me/export/<int:export_id>/download/",
        control_api.MeExportDownloadApi.as_view(),
        name="me-export-download",
    ),
    path("users/<str:handle>/", accounts_api.UserDetailApi.as_view(), name="user-detail"),
    path("users/<str:handle>/follow/", accounts_api.UserFollowApi.as_view(), name="user-follow"),
    path("users/<str:handle>/block/", accounts_api.UserBlockApi.as_view(), name="user-block"),
    path("users/<str:handle>/mute/", accounts_api.UserMuteApi.as_view(), name="user-mute"),
    path(
        "users/<str:handle>/followers/",
        accounts_api.UserFollowersApi.as_view(),
        name="user-followers",
    ),
    path(
        "users/<str:handle>/following/",
        accounts_api.UserFollowingApi.as_view(),
        name="user-following",
    ),
    path(
        "follow-requests/",
        accounts_api.FollowRequestsApi.as_view(),
        name="follow-requests",
    ),
    # Notes, photos, likes, collections and boards.
    path("media/", notes_api.MediaUploadApi.as_view(), name="media-upload"),
    path("notes/", notes_api.NotesApi.as_view(), name="notes"),
    path("notes/<int:note_id>/", notes_api.NoteDetailApi.as_view(), name="note-detail"),
    path("notes/<int:note_id>/like/", notes_api.NoteLikeApi.as_view(), name="note-like"),
    path("notes/<int:note_id>/collect/", notes_api.NoteCollectApi.as_view(), name="note-collect"),
    # Comments: a note's thread, replies, deleting and liking a comment.
    path(
        "notes/<int:note_id>/comments/", notes_api.NoteCommentsApi.as_view(), name="note-comments"
    ),
    path(
        "comments/<int:comment_id>/replies/",
        notes_api.CommentRepliesApi.as_view(),
        name="comment-replies",
    ),
    path("comments/<int:comment_id>/", notes_api.CommentDetailApi.as_view(), name="comment-detail"),
    path(
        "comments/<int:comment_id>/like/", notes_api.CommentLikeApi.as_view(), name="comment-like"
    ),
    # The bilingual view: translations of a note, a comment, a thread.
    path(
        "notes/<int:note_id>/translation/",
        translations_api.NoteTranslationApi.as_view(),
        name="note-translation",
    ),
    path(
        "comments/<int:comment_id>/translation/",
        translations_api.CommentTranslationApi.as_view(),
        name="comment-translation",
    ),
    path(
        "notes/<int:note_id>/comments/translation/",
        translations_api.ThreadTranslationApi.as_view(),
        name="note-comments-translation",
    ),
    # Reading aids: a note's or comment's pinyin, word glosses and slang; the dictionary.
    path("notes/<int:note_id>/reading/", reading_api.NoteReadingApi.as_view(), name="note-reading"),
    path(
        "comments/<int:comment_id>/reading/",
        reading_api.CommentReadingApi.as_view(),
        name="comment-reading",
    ),
    path("dictionary/", dictionary_api.DictionaryApi.as_view(), name="dictionary"),
    path("users/<str:handle>/notes/", notes_api.UserNotesApi.as_view(), name="user-notes"),
    path("users/<str:handle>/boards/", notes_api.UserBoardsApi.as_view(), name="user-boards"),
    path("users/<str:handle>/liked/", notes_api.UserLikedApi.as_view(), name="user-liked"),
    path("boards/", notes_api.BoardsApi.as_view(), name="boards"),
    path("boards/<int:board_id>/", notes_api.BoardDetailApi.as_view(), name="board-detail"),
    path("boards/<int:board_id>/notes/", notes_api.BoardNotesApi.as_view(), name="board-notes"),
    # Feeds.
    path("feeds/home/", home_api.HomeFeedApi.as_view(), name="feeds-home"),
    path("feeds/discover/", discover_api.DiscoverApi.as_view(), name="feeds-discover"),
    # Hashtags: a tag, its notes, following it, trending.
    path("tags/trending/", tags_api.TrendingTagsApi.as_view(), name="tags-trending"),
    path("tags/<str:name>/", tags_api.TagDetailApi.as_view(), name="tag-detail"),
    path("tags/<str:name>/notes/", tags_api.TagNotesApi.as_view(), name="tag-notes"),
    path("tags/<str:name>/follow/", tags_api.TagFollowApi.as_view(), name="tag-follow"),
    path("search/", search_api.SearchApi.as_view(), name="search"),
    # The slang glossary: approved terms, searched; readers suggest new ones.
    path("glossary/", glossary_api.GlossaryApi.as_view(), name="glossary"),
    path(
        "glossary/<int:term_id>/", glossary_api.GlossaryDetailApi.as_view(), name="glossary-detail"
    ),
    # Reports to the moderators.
    path("reports/", moderation_api.ReportsApi.as_view(), name="reports"),
    # Appeals against moderators' hides.
    path("appeals/", appeals_api.AppealsApi.as_view(), name="appeals"),
    # The inbox.
    path("notifications/", notifications_api.NotificationsApi.as_view(), name="notifications"),
    path(
        "notifications/read/",
        notifications_api.NotificationsReadApi.as_view(),
        name="notifications-read",
    ),
]
