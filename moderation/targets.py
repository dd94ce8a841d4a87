"""What can be reported and moderated, by kind: the models notes registered (`registry`:
"note", "comment") and people ("user", from accounts, below moderation). Every question about a
target — may this viewer see it, whose is it, load these by id, show it to a moderator — is
answered here, once, for reports and the desk alike."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from accounts.models import User

from .registry import ContentPreview, registry

USER_KIND = "user"


def target_kinds() -> list[str]:
    """The kinds a report may name: "note", "comment" (registered), "user"."""
    return [*registry.kinds, USER_KIND]


def target_model(kind: str) -> type[models.Model] | None:
    if kind == USER_KIND:
        return User
    return registry.model_for_kind(kind)


def target_kind(model: type[models.Model]) -> str:
    if model is User:
        return USER_KIND
    return registry.actions_for(model).kind


def target_get_visible(*, viewer, kind: str, target_id: int | None = None, handle: str = ""):
    """The note, comment or person `viewer` may see, by id (or a person by handle), else
    Http404 — missing and forbidden alike, through the owning app's own getter."""
    if kind == USER_KIND:
        people = User.objects.active()
        person = (people.by_handle(handle) if handle else people.filter(pk=target_id)).first()
        if person is None:
            raise Http404("No such user.")
        return person
    model = registry.model_for_kind(kind)
    actions = registry.actions_for(model) if model is not None else None
    if actions is None or actions.visible_get is None or target_id is None:
        raise Http404("Nothing to report.")
    return actions.visible_get(viewer=viewer, target_id=target_id)


def target_owner_id(target: models.Model) -> int | None:
    """Whose content `target` is (the person, for a person)."""
    if isinstance(target, User):
        return target.pk
    owner_id = registry.actions_for(type(target)).owner_id
    return owner_id(target) if owner_id is not None else None


def targets_get(content_type: ContentType, ids: Iterable[int]) -> dict[int, models.Model]:
    """Targets of one type by id, in any state (hidden, private; people inactive too), in a
    constant number of queries. Ids of rows that are gone are left out."""
    ids = list(ids)
    model = content_type.model_class()
    if model is User:
        return {person.pk: person for person in User.objects.filter(pk__in=ids)}
    if model is None or not registry.is_registered(model):
        return {}
    rows_get = registry.actions_for(model).rows_get
    if rows_get is not None:
        return rows_get(ids)
    return {row.pk: row for row in model._default_manager.filter(pk__in=ids)}


def target_preview(target: models.Model) -> ContentPreview:
    """What a moderator needs to judge `target`, as plain data."""
    if isinstance(target, User):
        return ContentPreview(
            title=target.name,
            text=target.bio,
            url=target.get_absolute_url(),
            owner_id=target.pk,
            details={"handle": target.handle},
        )
    preview = registry.actions_for(type(target)).preview
    if preview is None:
        return ContentPreview(title=str(target), owner_id=target_owner_id(target))
    return preview(target)


def target_placeholder(content_type: ContentType, target_id: int) -> models.Model:
    """An unsaved stand-in for a target that is gone, so its reports can still be closed and
    the decision logged under its type and id."""
    model = content_type.model_class()
    if model is None:
        raise LookupError(f"no model for content type {content_type.pk}")
    return model(pk=target_id)
