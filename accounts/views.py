"""Web views for accounts: follower lists, social-graph buttons, settings, language.

Views stay thin: they read through accounts.selectors, write through accounts.services and
turn a service's ValidationError into form errors or a message.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, trans_real
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from rednote.ratelimits import rate_limited
from rednote.web import login_redirect, safe_next, service_refusal

from . import selectors, services
from .forms import AvatarForm, ProfileForm
from .models import User
from .relationships import RELATIONSHIP_ACTIONS
from .selectors import Relationship

PEOPLE_PER_PAGE = 30


# --- Follower lists (the profile page itself is `notes.views.profile`, with the grid) -----


def _people_page(request: HttpRequest, handle: str, *, kind: str) -> HttpResponse:
    person = selectors.user_get_profile(handle=handle)
    list_people = selectors.followers_list if kind == "followers" else selectors.following_list
    try:
        people = list_people(user=person, viewer=request.user)
    except PermissionDenied:
        # A private account's lists: the page says so (403, as the API answers), with the
        # follow button that may lead there.
        return render(
            request,
            "accounts/people.html",
            {
                "person": person,
                "kind": kind,
                "private": True,
                "relationship": selectors.relationship_get(viewer=request.user, other=person),
            },
            status=403,
        )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    viewer_id = request.user.pk if request.user.is_authenticated else None
    for row in page:
        row.relationship = Relationship(
            is_self=row.pk == viewer_id,
            following=row.viewer_follows,
            requested=row.viewer_requested,
        )
    return render(
        request,
        "accounts/people.html",
        {"person": person, "kind": kind, "page": page},
    )


@require_GET
def followers(request: HttpRequest, handle: str) -> HttpResponse:
    return _people_page(request, handle, kind="followers")


@require_GET
def following(request: HttpRequest, handle: str) -> HttpResponse:
    return _people_page(request, handle, kind="following")


# --- Follow, block, mute ------------------------------------------------------------------


def _follow_button(request: HttpRequest, other: User, *, next_url: str) -> HttpResponse:
    """The re-rendered follow control, plus the follower count out of band on profiles."""
    person = selectors.user_get_profile(handle=other.handle)
    return render(
        request,
        "accounts/_follow_button.html",
        {
            "person": person,
            "relationship": selectors.relationship_get(viewer=request.user, other=person),
            "show_count": request.POST.get("count") == "1",
            "oob_count": request.POST.get("count") == "1",
            "next_url": next_url,
        },
    )


@require_POST
@rate_limited("social_graph")  # with the API's follow, block and mute endpoints
def graph_action(request: HttpRequest, handle: str, action: str) -> HttpResponse:
    """POST /@handle/<follow|unfollow|block|unblock|mute|unmute>/ for the signed-in user
    (`accounts.relationships.RELATIONSHIP_ACTIONS`)."""
    other = selectors.user_get_by_handle(handle=handle)
    back = safe_next(request, default=other.get_absolute_url())
    if not request.user.is_authenticated:
        return login_redirect(request, back)

    relationship_action = RELATIONSHIP_ACTIONS[action]
    before = selectors.relationship_get(viewer=request.user, other=other)
    try:
        relationship_action.run(actor=request.user, other=other)
    except ValidationError as exc:
        return service_refusal(request, exc, back)

    if request.htmx:
        return _follow_button(request, other, next_url=back)
    if relationship_action.creates:
        # A follow of a private account is a request: the words say which it became.
        said = relationship_action.done_in(
            selectors.relationship_get(viewer=request.user, other=other)
        )
    else:
        said = relationship_action.done_in(before)
    messages.success(request, said % {"handle": other.handle})
    return redirect(back)


# --- Follow requests (private accounts) -----------------------------------------------------


@login_required
@require_GET
def follow_requests(request: HttpRequest) -> HttpResponse:
    """`/follow-requests/`: the pending requests to follow the signed-in person, newest first,
    each with Accept and Decline (htmx swaps the row; without JavaScript a form post comes
    back here with a message)."""
    requests = selectors.follow_requests_of(owner=request.user)
    page = Paginator(requests, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/follow_requests.html", {"page": page})


@login_required
@require_POST
@rate_limited("social_graph")  # with the API's `follow-requests/` answers
def follow_request_answer(request: HttpRequest, handle: str, answer: str) -> HttpResponse:
    """POST `/follow-requests/<handle>/<accept|decline>/`: answer one pending request to the
    signed-in person (another person's request, or none, is a 404)."""
    follow_request = selectors.follow_request_get(owner=request.user, handle=handle)
    requester = follow_request.requester
    try:
        if answer == "accept":
            services.follow_request_accept(owner=request.user, requester=requester)
        else:
            services.follow_request_decline(owner=request.user, requester=requester)
    except ValidationError as exc:
        return service_refusal(request, exc, reverse("accounts:follow_requests"))
    if answer == "accept":
        said = gettext("@%(handle)s now follows you.")
    else:
        said = gettext("You declined @%(handle)s's request to follow you.")
    said %= {"handle": requester.handle}
    if request.htmx:
        return render(
            request,
            "accounts/_follow_request_done.html",
            {"requester": requester, "answer": answer, "said": said},
        )
    messages.success(request, said)
    return redirect(safe_next(request, default=reverse("accounts:follow_requests")))


# --- Settings -----------------------------------------------------------------------------


def _language_after_save(request: HttpRequest, changes: dict) -> str:
    """The interface language of the page after saving: the new choice, or for "Automatic"
    the browser's preference (the remembered cookie is dropped), else the current one."""
    if "ui_language" not in changes:
        return translation.get_language()
    if changes["ui_language"]:
        return changes["ui_language"]
    # What LocaleMiddleware will pick once the cookie is gone: Accept-Language, else default.
    accept = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _settings_page(request, *, profile_form=None, avatar_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "accounts/settings.html",
        {
            "profile_form": profile_form or ProfileForm(user=request.user),
            "avatar_form": avatar_form or AvatarForm(),
            "exports": selectors.data_exports_recent(user=request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/`: the profile form. Invalid input re-renders with errors and a 400."""
    if request.method != "POST":
        return _settings_page(request)
    form = ProfileForm(request.POST, user=request.user)
    if form.is_valid():
        changes = form.changed_profile_fields()
        try:
            services.profile_update(user=request.user, **changes)
        except ValidationError as exc:
            # The service may have set attributes before refusing; the page shows the account
            # as stored, not half-applied values.
            request.user.refresh_from_db()
            form.add_service_errors(exc)
        else:
            # Said in the language the next page will be in, which a change of interface
            # language has just decided.
            with translation.override(_language_after_save(request, changes)):
                messages.success(request, gettext("Your profile is saved."))
            response = redirect("accounts:settings")
            if changes.get("ui_language") == "":
                # "Automatic": forget the remembered choice so the browser's languages decide.
                response.delete_cookie(
                    settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE
                )
            return response
    return _settings_page(request, profile_form=form, status=400)


@login_required
@require_POST
@rate_limited("uploads")  # with the API's `me/avatar/` and photo uploads
def avatar_update(request: HttpRequest) -> HttpResponse:
    """Upload a new avatar; a refused file is reported on the field with a 400."""
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.avatar_set(user=request.user, file=form.cleaned_data["avatar"])
        except ValidationError as exc:
            request.user.refresh_from_db()
            form.add_error("avatar", exc.message_dict.get("avatar", exc.messages))
        else:
            messages.success(request, gettext("Your new photo is up."))
            return redirect("accounts:settings")
    return _settings_page(request, avatar_form=form, status=400)


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    services.avatar_clear(user=request.user)
    messages.success(request, gettext("Your photo is removed."))
    return redirect("accounts:settings")


# --- Interface language -------------------------------------------------------------------


@require_POST
def language_set(request):
    """Django's set_language (the cookie), remembered on the account when signed in; back to
    `next` only when it passes the site's one redirect test (`rednote.web.safe_next`)."""
    response = set_language(request)
    if response.status_code in (301, 302):
        response["Location"] = safe_next(request, default="/")
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.ui_language_set(user=request.user, language=language)
    return response
