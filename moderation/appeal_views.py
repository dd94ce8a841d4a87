"""Appealing against a hide, from the site and the API: the author of a hidden note or comment
posts `target_type`, `target_id` and `text` to `/appeals/` (the banner's form on the note page:
with htmx answered in place, without JavaScript a redirect back with a message) or to
`POST /api/v1/appeals/`. Both call `services.appeals.appeal_target_get` and `appeal_create`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.web import login_redirect, service_refusal

from .hidden import appeal_json, hidden_status
from .models import APPEAL_TEXT_MAX_LENGTH
from .services.appeals import appeal_create, appeal_target_get

TAG_APPEALS = "appeals"
APPEALABLE_KINDS = ("note", "comment")


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()
        }
    return {"target": error.messages}


@require_POST
def appeal(request):
    """File an appeal from the hidden-content banner."""
    if not request.user.is_authenticated:
        return login_redirect(request, "/")
    kind = request.POST.get("target_type", "")
    text = request.POST.get("text", "")
    try:
        target_id = int(request.POST.get("target_id", ""))
    except ValueError:
        target_id = 0
    target = None
    try:
        if kind not in APPEALABLE_KINDS or not 0 < target_id < 2**63:
            raise ValidationError(
                {"target": [_("Nothing of yours hidden by moderators has this id.")]}
            )
        target = appeal_target_get(author=request.user, kind=kind, target_id=target_id)
        appeal_create(author=request.user, target=target, text=text)
    except ValidationError as exc:
        errors = _errors_by_field(exc)
        if request.htmx and target is not None:
            # htmx swaps only a 2xx: the banner comes back with its errors.
            return _banner(request, kind, target, errors=errors, text=text)
        back = target.get_absolute_url() if target is not None else "/"
        return service_refusal(request, exc, back)
    if request.htmx:
        return _banner(request, kind, target)
    messages.success(request, _("Your appeal was sent; the moderators will look at it again."))
    return redirect(target.get_absolute_url())


def _banner(request, kind: str, target, *, errors=None, text: str = ""):
    return render(
        request,
        "moderation/_hidden_banner.html",
        {
            "kind": kind,
            "target_id": target.pk,
            "hidden": hidden_status(target),
            "appeal_errors": errors or {},
            "appeal_text": text,
            "appeal_text_max_length": APPEAL_TEXT_MAX_LENGTH,
        },
    )


class AppealCreateInputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(
        choices=APPEALABLE_KINDS,
        help_text=gettext_lazy("What was hidden: your note or your comment."),
    )
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,  # the service trims and counts, as for the page's form
        help_text=gettext_lazy(
            "Why the moderators should look at it again (at most 1000 characters)."
        ),
    )


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=("open", "granted", "denied"))
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class AppealsApi(APIView):
    """Appeal against the hiding of your note or comment."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_APPEALS],
        operation_id="appeals_create",
        summary=gettext_lazy("Appeal against a hide"),
        description=gettext_lazy(
            "Ask the moderators to look again at your note or comment they hid. "
            "`target_type` is `note` or `comment`, `target_id` its id, `text` why (1 to 1000 "
            "characters). Once per hide decision: a second appeal is a 400 naming "
            "`target_id`, as is anything that is not your content hidden by moderators. The "
            "appeal's status is in the note's or comment's `moderation` object."
        ),
        request=AppealCreateInputSerializer,
        examples=[
            OpenApiExample(
                "A note",
                value={
                    "target_type": "note",
                    "target_id": 42,
                    "text": "It is a recipe, not an advert.",
                },
                request_only=True,
            )
        ],
        responses={201: AppealSerializer, **error_responses(400, 401)},
    )
    def post(self, request):
        serializer = AppealCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            target = appeal_target_get(
                author=request.user, kind=data["target_type"], target_id=data["target_id"]
            )
            created = appeal_create(author=request.user, target=target, text=data["text"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "target" in exc.error_dict:
                # The service names the target; the client named it by its id.
                exc.error_dict["target_id"] = exc.error_dict.pop("target")
            raise
        return Response(appeal_json(created), status=status.HTTP_201_CREATED)
