"""API views for photos and notes: upload, post, read, edit, delete, like and collect."""

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import user_get_by_handle
from rednote.api import error_responses

from .. import selectors, services
from ..limits import NOTES_THROTTLE_SCOPE, REACTIONS_THROTTLE_SCOPE, UPLOADS_THROTTLE_SCOPE
from ..serializers import (
    MediaSerializer,
    MediaUploadInputSerializer,
    NoteCollectInputSerializer,
    NoteCreateInputSerializer,
    NoteSerializer,
    NoteUpdateInputSerializer,
)
from .common import (
    LIST_DESCRIPTION,
    TAG_NOTES,
    AuthorNotesPagination,
    LikedNotesPagination,
    NoteListApi,
    RecentNotesPagination,
    note_pages,
    note_response,
)
from .hidden import hidden_note_response

# --- Photos -------------------------------------------------------------------------------


class MediaUploadApi(APIView):
    """Upload one photo for a note to come."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    # The composer's `POST /notes/media/` counts against the same scope (rednote.web).
    throttle_scope = UPLOADS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="media_upload",
        summary=gettext_lazy("Upload a photo"),
        description=gettext_lazy(
            "Send the photo as the multipart field `file`. It is checked by its content, not its "
            "name: JPEG, PNG, WebP or GIF (first frame), at most 20 MB and 40 megapixels, not "
            "corrupt. Anything else is refused with a 400 naming `file`, and nothing is kept. "
            "Then pass the returned `id` in `media_ids` when posting the note; the web versions "
            "are made once the note is posted, without any of the photo's metadata."
        ),
        request={"multipart/form-data": MediaUploadInputSerializer},
        responses={201: MediaSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        serializer = MediaUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.media_upload(owner=request.user, **serializer.validated_data)
        return Response(MediaSerializer(image).data, status=status.HTTP_201_CREATED)


# --- Notes --------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_list",
        summary=gettext_lazy("Recent notes"),
        description=format_lazy(
            "{}{}",
            gettext_lazy("Published notes the viewer may see, newest first. "),
            LIST_DESCRIPTION,
        ),
        responses={200: NoteSerializer(many=True), **error_responses(400)},
    )
)
class NotesApi(NoteListApi):
    """Recent notes; post a note."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    # Posting counts against the note rate (the composer's too); reading does not.
    throttle_scope = NOTES_THROTTLE_SCOPE

    pagination_class = RecentNotesPagination

    def notes(self):
        return selectors.notes_recent_public(viewer=self.request.user)

    def prepared_pages(self):
        return _RECENT_PAGES, ()

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_create",
        summary=gettext_lazy("Post a note"),
        description=gettext_lazy(
            "Post 1 to 18 of your uploaded photos (`media_ids`, in order; the first is the "
            "cover) with a title and/or text (hashtags and @mentions are recognised). The note "
            "is `processing` until its photos are ready, then `published` (or `failed`, with "
            "`failure_reason`; or `held` when a keyword rule holds it for review: only you see "
            "it until moderators approve it). Text a keyword rule refuses is a 400 naming the "
            "field, with the rule's message. `author`, counters and `status` are not accepted "
            "as input."
        ),
        request=NoteCreateInputSerializer,
        responses={201: NoteSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        serializer = NoteCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_create(author=request.user, **serializer.validated_data)
        return note_response(request, note.pk, code=status.HTTP_201_CREATED)


_RECENT_PAGES = note_pages(
    RecentNotesPagination, lambda viewer: selectors.notes_recent_public(viewer=viewer)
)


class NoteDetailApi(APIView):
    """One note: read it; its author edits or deletes it."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    # Editing counts against the note rate (the edit page's too); reading and deleting do not.
    throttle_scope = NOTES_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_retrieve",
        summary=gettext_lazy("A note"),
        description=gettext_lazy(
            "404 when the note does not exist or the viewer may not see it (private, "
            "followers-only, hidden, still processing for someone else). Its author still "
            "reads a note moderators hid, with a `moderation` object: `hidden`, the `reason`, "
            "`hidden_at`, `can_appeal` and the `appeal` made (`POST /api/v1/appeals/`)."
        ),
        responses={200: NoteSerializer, **error_responses(404)},
    )
    def get(self, request, note_id: int):
        try:
            return note_response(request, note_id)
        except Http404:
            # Its author still reads a hidden note, with a `moderation` object.
            hidden = hidden_note_response(request, note_id)
            if hidden is None:
                raise
            return hidden

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_update",
        summary=gettext_lazy("Edit your note"),
        description=gettext_lazy(
            "Change the title, text, visibility or location; hashtags and mentions are parsed "
            "again. Photos stay as posted. Someone else's note is a 404."
        ),
        request=NoteUpdateInputSerializer,
        responses={200: NoteSerializer, **error_responses(400, 401, 404, 429)},
    )
    def patch(self, request, note_id: int):
        note = selectors.note_get_editable(user=request.user, note_id=note_id)
        serializer = NoteUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.note_update(note=note, **serializer.validated_data)
        return note_response(request, note.pk)

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_destroy",
        summary=gettext_lazy("Delete your note"),
        description=gettext_lazy(
            "The note leaves every page and feed; its photos are deleted. Someone else's note "
            "is a 404."
        ),
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request, note_id: int):
        note = selectors.note_get_editable(user=request.user, note_id=note_id)
        services.note_delete(note=note)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NoteLikeApi(APIView):
    """Like and unlike; both are idempotent and answer with the note."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = REACTIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_like",
        summary=gettext_lazy("Like a note"),
        description=gettext_lazy("Liking twice is one like."),
        request=None,
        responses={200: NoteSerializer, **error_responses(401, 404, 429)},
    )
    def post(self, request, note_id: int):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        services.note_like(user=request.user, note=note)
        return note_response(request, note.pk)

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_unlike",
        summary=gettext_lazy("Unlike a note"),
        request=None,
        responses={200: NoteSerializer, **error_responses(401, 404, 429)},
    )
    def delete(self, request, note_id: int):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        services.note_unlike(user=request.user, note=note)
        return note_response(request, note.pk)


_BOARD_PARAMETER = OpenApiParameter(
    "board",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=gettext_lazy("Remove the note from this board only (default: from all)."),
)


class NoteCollectApi(APIView):
    """Collect a note into a board, or take it out; both idempotent, both answer the note."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = REACTIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_collect",
        summary=gettext_lazy("Collect a note"),
        description=gettext_lazy(
            "Into `board` (one of yours), or into “Saved” when it is left out. "
            "`collect_count` counts people, not boards."
        ),
        request=NoteCollectInputSerializer,
        responses={200: NoteSerializer, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, note_id: int):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        serializer = NoteCollectInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.note_collect(user=request.user, note=note, **serializer.validated_data)
        return note_response(request, note.pk)

    @extend_schema(
        tags=[TAG_NOTES],
        operation_id="notes_uncollect",
        summary=gettext_lazy("Uncollect a note"),
        description=gettext_lazy(
            "From the `board` given (query parameter or body), else from all your boards."
        ),
        parameters=[_BOARD_PARAMETER],
        request=None,
        responses={200: NoteSerializer, **error_responses(400, 401, 404, 429)},
    )
    def delete(self, request, note_id: int):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        serializer = NoteCollectInputSerializer(
            data=request.data or request.query_params, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        services.note_uncollect(user=request.user, note=note, **serializer.validated_data)
        return note_response(request, note.pk)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_NOTES],
        operation_id="users_notes_list",
        summary=gettext_lazy("A person's notes"),
        description=format_lazy(
            "{}{}",
            gettext_lazy(
                "Their profile grid, newest first: the notes the viewer may see; a person sees "
                "their own processing and failed notes too. "
            ),
            LIST_DESCRIPTION,
        ),
        responses={200: NoteSerializer(many=True), **error_responses(400, 404)},
    )
)
class UserNotesApi(NoteListApi):
    pagination_class = AuthorNotesPagination

    def notes(self):
        author = user_get_by_handle(handle=self.kwargs["handle"])
        return selectors.notes_of_author(author=author, viewer=self.request.user)

    def prepared_pages(self):
        return _AUTHOR_PAGES, (user_get_by_handle(handle=self.kwargs["handle"]).pk,)


_AUTHOR_PAGES = note_pages(
    AuthorNotesPagination,
    lambda viewer, author_id: selectors.notes_of_author(author=User(pk=author_id), viewer=viewer),
    ids=1,
)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_NOTES],
        operation_id="users_liked_list",
        summary=gettext_lazy("Notes a person liked"),
        description=format_lazy(
            "{}{}",
            gettext_lazy(
                "Their Liked tab, newest like first: the published notes the viewer may see, "
                "without those of people the viewer muted. Only the person themself may read "
                "it, unless they made it public (`likes_public` on `PATCH /api/v1/me/`); for "
                "anyone else it is a 404, as for anything hidden. "
            ),
            LIST_DESCRIPTION,
        ),
        responses={200: NoteSerializer(many=True), **error_responses(400, 404)},
    )
)
class UserLikedApi(NoteListApi):
    pagination_class = LikedNotesPagination

    def notes(self):
        person = user_get_by_handle(handle=self.kwargs["handle"])
        return selectors.notes_liked_by(person=person, viewer=self.request.user)

    def prepared_pages(self):
        person = user_get_by_handle(handle=self.kwargs["handle"])
        if not selectors.likes_shown(person=person, viewer=self.request.user):
            raise Http404("No such page.")
        return _LIKED_PAGES, (person.pk,)


_LIKED_PAGES = note_pages(
    LikedNotesPagination,
    lambda viewer, person_id: selectors.notes_liked_by_shown(person_id=person_id, viewer=viewer),
    ids=1,
)
