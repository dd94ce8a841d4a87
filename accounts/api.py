"""REST API for accounts and the social graph (/api/v1/).

One class per operation: it parses input with its serializer, calls one service or selector
and answers with the shared output serializers. Services raise Django `ValidationError`s by
field, which `rednote.api.exception_handler` turns into 400s; selectors raise 404.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, parsers, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.pagination import CursorPagination
from rednote.ratelimits import allauth_limit_wait, allauth_retry_after

from . import selectors, services
from .control_api import AccountDeleteInputSerializer, me_delete
from .relationships import RELATIONSHIP_KINDS, RelationshipKind
from .serializers import (
    AvatarInputSerializer,
    FollowRequestAnsweredSerializer,
    FollowRequestAnswerInputSerializer,
    FollowRequestSerializer,
    ProfileUpdateInputSerializer,
    RelationshipSerializer,
    SignupAcceptedSerializer,
    SignupInputSerializer,
    TokenObtainInputSerializer,
    TokenSerializer,
    UserCardSerializer,
    UserPrivateSerializer,
    UserPublicSerializer,
)

TAG_AUTH = "auth"
TAG_ME = "me"
TAG_USERS = "users"


def _private_profile(request) -> dict:
    user = selectors.user_get_profile(handle=request.user.handle)
    return UserPrivateSerializer(user, context={"request": request}).data


# --- Authentication -----------------------------------------------------------------------


class TokenObtainApi(APIView):
    """Exchange a handle or e-mail address and a password for an API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth_token"

    @extend_schema(
        tags=[TAG_AUTH],
        operation_id="auth_token_obtain",
        summary=gettext_lazy("Get an API token"),
        description=gettext_lazy(
            "Sign in with a handle (any case) or e-mail address and a password. Send the token "
            "as `Authorization: Token <token>`. When e-mail verification is mandatory the "
            "address must be confirmed first; a new confirmation link is sent if it is not."
        ),
        request=TokenObtainInputSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
    )
    def post(self, request):
        # allauth's login limit (per address) too, so the API is no way around the form's.
        wait = allauth_limit_wait(request._request, action="login")
        if wait is not None:
            raise exceptions.Throttled(wait)
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = services.auth_token_sign_in(
                request=request._request,
                login=serializer.validated_data["username"],
                password=serializer.validated_data["password"],
            )
        except services.SignInThrottled as exc:
            wait = allauth_retry_after(request._request, actions=("login_failed",))
            raise exceptions.Throttled(wait, detail=str(exc)) from exc
        return Response(TokenSerializer({"token": token.key}).data)


class SignupApi(APIView):
    """Create an account; a confirmation link is e-mailed to the address."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth_signup"

    @extend_schema(
        tags=[TAG_AUTH],
        operation_id="auth_signup",
        summary=gettext_lazy("Sign up"),
        description=gettext_lazy(
            "Creates the account and e-mails a confirmation link. Every problem (handle taken "
            "in any case or reserved, invalid e-mail, weak password) is reported at once, by "
            "field; nothing is stored then. When e-mail verification is mandatory (as in "
            "production), an address that already has an account gets the same answer as a "
            "new one and its owner an e-mail saying so, so the answer never tells whether an "
            "address is known; otherwise it is reported as taken, as the sign-up form does."
        ),
        request=SignupInputSerializer,
        responses={202: SignupAcceptedSerializer, **error_responses(400, 429)},
    )
    def post(self, request):
        # allauth's sign-up limit (per address) too: the form and the API spend one budget.
        wait = allauth_limit_wait(request._request, action="signup")
        if wait is not None:
            raise exceptions.Throttled(wait)
        serializer = SignupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_signup(request=request._request, **serializer.validated_data)
        email = services.email_normalize(serializer.validated_data["email"])
        data = SignupAcceptedSerializer(
            {
                "detail": _(
                    "Check your inbox: we sent a message to %(email)s. Follow its link, "
                    "then sign in."
                )
                % {"email": email},
                "email": email,
            }
        ).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


# --- The signed-in person -----------------------------------------------------------------


class MeApi(APIView):
    """The signed-in person's own profile."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_retrieve",
        summary=gettext_lazy("Your profile"),
        description=gettext_lazy(
            "Your own profile with its private settings: e-mail, interface language, "
            "languages spoken and read."
        ),
        responses={200: UserPrivateSerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response(_private_profile(request))

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_update",
        summary=gettext_lazy("Edit your profile"),
        description=gettext_lazy(
            "Change any of the listed fields; the others (id, email, is_staff, counts...) "
            "are read-only and ignored if sent."
        ),
        request=ProfileUpdateInputSerializer,
        responses={200: UserPrivateSerializer, **error_responses(400, 401)},
    )
    def patch(self, request):
        serializer = ProfileUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.profile_update(user=request.user, **serializer.validated_data)
        return Response(_private_profile(request))

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_delete",
        summary=gettext_lazy("Delete your account"),
        description=gettext_lazy(
            "Send your current `password` (400 on `password` if it is missing or wrong; "
            "nothing happens then). The account closes at once: every session and token ends, "
            "the profile is gone, and your notes, comments, likes, boards and photos are "
            "deleted in the background. This cannot be undone."
        ),
        request=AccountDeleteInputSerializer,
        responses={204: None, **error_responses(400, 401, 429)},
    )
    def delete(self, request):
        return me_delete(request)


class MeAvatarApi(APIView):
    """Set or remove the signed-in person's avatar."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    # Uploading counts with photo uploads (and the settings page's avatar form).
    throttle_scope = "uploads"

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_avatar_set",
        summary=gettext_lazy("Upload an avatar"),
        description=gettext_lazy(
            "Send the image as the multipart field `file` (JPEG, PNG, WebP or GIF, at most "
            "5 MB). It is cropped square and re-encoded without any metadata."
        ),
        request={"multipart/form-data": AvatarInputSerializer},
        responses={200: UserPrivateSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        serializer = AvatarInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.avatar_set(user=request.user, file=serializer.validated_data["file"])
        except DjangoValidationError as exc:
            # The service names its model field; the client sent the image as `file`.
            raise exceptions.ValidationError({"file": exc.messages}) from exc
        return Response(_private_profile(request))

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_avatar_clear",
        summary=gettext_lazy("Remove your avatar"),
        description=gettext_lazy(
            "`avatar_url` becomes null; show the initials on `avatar_color` instead."
        ),
        request=None,
        responses={200: UserPrivateSerializer, **error_responses(401)},
    )
    def delete(self, request):
        services.avatar_clear(user=request.user)
        return Response(_private_profile(request))


# --- People -------------------------------------------------------------------------------


class UserDetailApi(APIView):
    """A public profile, with how the signed-in viewer stands to the person."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_USERS],
        operation_id="users_retrieve",
        summary=gettext_lazy("A profile"),
        description=gettext_lazy(
            "`relationship` is given to a signed-in viewer and is null for visitors."
        ),
        responses={200: UserPublicSerializer, **error_responses(404)},
    )
    def get(self, request, handle: str):
        user = selectors.user_get_profile(handle=handle)
        context = {"request": request}
        if request.user.is_authenticated:
            context["relationship"] = selectors.relationship_get(viewer=request.user, other=user)
        return Response(UserPublicSerializer(user, context=context).data)


class _RelationshipApi(APIView):
    """POST creates the relationship, DELETE removes it (accounts.relationships); both are
    idempotent and answer with the viewer's updated relationship to the person (201 when
    POST created it, else 200)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "social_graph"
    kind: RelationshipKind

    def post(self, request, handle: str):
        other = selectors.user_get_by_handle(handle=handle)
        before = selectors.relationship_get(viewer=request.user, other=other)
        self.kind.create(request.user, other)
        after = selectors.relationship_get(viewer=request.user, other=other)
        # A follow of a private account is a request: created too, when it is new.
        created = not self.kind.held(before) and self.kind.held(after)
        return Response(
            RelationshipSerializer(after).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def delete(self, request, handle: str):
        other = selectors.user_get_by_handle(handle=handle)
        self.kind.remove(request.user, other)
        after = selectors.relationship_get(viewer=request.user, other=other)
        return Response(RelationshipSerializer(after).data)


def _relationship_schema(name: str, *, create, remove, description):
    """Schemas for the POST/DELETE pair of a relationship endpoint (`extend_schema_view`)."""
    common = {"tags": [TAG_USERS], "request": None, "description": description}
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"users_{name}_create",
            summary=create,
            responses={
                201: OpenApiResponse(RelationshipSerializer, gettext_lazy("Created.")),
                200: OpenApiResponse(RelationshipSerializer, gettext_lazy("Already in place.")),
                **error_responses(400, 401, 404, 429),
            },
            **common,
        ),
        delete=extend_schema(
            operation_id=f"users_{name}_delete",
            summary=remove,
            responses={200: RelationshipSerializer, **error_responses(401, 404, 429)},
            **common,
        ),
    )


@_relationship_schema(
    "follow",
    create=gettext_lazy("Follow"),
    remove=gettext_lazy("Unfollow"),
    description=gettext_lazy(
        "You cannot follow yourself, nor someone you block or who blocks you (400, field "
        "`followee`). Following a private account asks its owner: the answer has "
        '`"following": false, "requested": true` until they accept (`follow-requests/`). '
        "DELETE unfollows, or cancels a pending request."
    ),
)
class UserFollowApi(_RelationshipApi):
    kind = RELATIONSHIP_KINDS["follow"]


@_relationship_schema(
    "block",
    create=gettext_lazy("Block"),
    remove=gettext_lazy("Unblock"),
    description=gettext_lazy(
        "Blocking removes the follows both ways and prevents new ones until unblocked."
    ),
)
class UserBlockApi(_RelationshipApi):
    kind = RELATIONSHIP_KINDS["block"]


@_relationship_schema(
    "mute",
    create=gettext_lazy("Mute"),
    remove=gettext_lazy("Unmute"),
    description=gettext_lazy(
        "A muted person's notes leave your feeds; they are not told and can still follow you."
    ),
)
class UserMuteApi(_RelationshipApi):
    kind = RELATIONSHIP_KINDS["mute"]


# --- Followers and following ----------------------------------------------------------------


_FOLLOW_LIST_DESCRIPTION = gettext_lazy(
    "Newest follow first, in pages of `page_size` (default 20, at most 100); follow `next` for "
    "the following page. People you block or who block you are left out. A private account's "
    "lists are shown only to its owner and the followers it approved (else 403)."
)


class FollowListPagination(CursorPagination):
    # Newest follow first; `followed_at` and `follow_id` are annotated by the list views.
    ordering = ("-followed_at", "-follow_id")


class _FollowListApi(generics.ListAPIView):
    """People in one direction of a person's follows, newest follow first.

    A page costs one query whatever its size, plus finding the person; people in a block with
    the viewer are left out by the selector.
    """

    permission_classes = [permissions.AllowAny]
    serializer_class = UserCardSerializer
    pagination_class = FollowListPagination
    # The relation from a listed person to the Follow row that puts them on this list, and the
    # selector that lists them.
    follow_relation: str
    list_people: staticmethod

    def get_queryset(self):
        user = selectors.user_get_by_handle(handle=self.kwargs["handle"])
        try:
            people = self.list_people(user=user, viewer=self.request.user)
        except DjangoPermissionDenied as exc:
            # A private account's lists: 403 saying why, as the page does.
            raise exceptions.PermissionDenied(selectors.PRIVATE_LISTS_MESSAGE) from exc
        return people.annotate(
            followed_at=F(f"{self.follow_relation}__created_at"),
            follow_id=F(f"{self.follow_relation}__id"),
        )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_USERS],
        operation_id="users_followers_list",
        summary=gettext_lazy("A person's followers"),
        description=_FOLLOW_LIST_DESCRIPTION,
        responses={200: UserCardSerializer(many=True), **error_responses(400, 403, 404)},
    )
)
class UserFollowersApi(_FollowListApi):
    # A follower reaches the Follow row through the follows they made.
    follow_relation = "following_set"
    list_people = staticmethod(selectors.followers_list)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_USERS],
        operation_id="users_following_list",
        summary=gettext_lazy("People a person follows"),
        description=_FOLLOW_LIST_DESCRIPTION,
        responses={200: UserCardSerializer(many=True), **error_responses(400, 403, 404)},
    )
)
class UserFollowingApi(_FollowListApi):
    # A followee reaches the Follow row through the follows they received.
    follow_relation = "follower_set"
    list_people = staticmethod(selectors.following_list)


# --- Follow requests (private accounts) -----------------------------------------------------


class FollowRequestsApi(generics.ListAPIView):
    """The signed-in person's pending follow requests (GET) and their answers (POST)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowRequestSerializer
    pagination_class = CursorPagination  # newest request first

    def get_throttles(self):
        # Answering is a social-graph write, counted with follows; reading is not.
        self.throttle_scope = "social_graph" if self.request.method == "POST" else ""
        return super().get_throttles()

    def get_queryset(self):
        return selectors.follow_requests_of(owner=self.request.user)

    @extend_schema(
        tags=[TAG_USERS],
        operation_id="follow_requests_list",
        summary=gettext_lazy("Your follow requests"),
        description=gettext_lazy(
            "People waiting for you to accept or decline their request to follow your private "
            "account, newest first, in pages of `page_size` (default 20, at most 100); follow "
            "`next` for the following page."
        ),
        responses={200: FollowRequestSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_USERS],
        operation_id="follow_requests_answer",
        summary=gettext_lazy("Accept or decline a follow request"),
        description=gettext_lazy(
            "`accept` makes the person a follower (they are told); `decline` removes the "
            "request (they are not told, and may ask again). A handle with no pending request "
            "to you, or no such person, is a 404; nothing changes then."
        ),
        request=FollowRequestAnswerInputSerializer,
        responses={
            200: FollowRequestAnsweredSerializer,
            **error_responses(400, 401, 404, 429),
        },
    )
    def post(self, request):
        serializer = FollowRequestAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = serializer.validated_data["action"]
        follow_request = selectors.follow_request_get(
            owner=request.user, handle=serializer.validated_data["handle"]
        )
        requester = follow_request.requester
        if action == "accept":
            services.follow_request_accept(owner=request.user, requester=requester)
        else:
            services.follow_request_decline(owner=request.user, requester=requester)
        data = FollowRequestAnsweredSerializer(
            {"requester": requester, "action": action, "follows_you": action == "accept"},
            context={"request": request},
        ).data
        return Response(data)
