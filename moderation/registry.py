"""What moderators can act on, registered by the apps that own it.

`moderation` sits below `notes` in the layers, so it cannot import notes; instead notes
registers its models here (as `admin.site.register` does) with the functions that hide, unhide
and delete them, and those that let people report them and moderators judge them: the
permission-checked getter (`visible_get`, 404 for what the viewer may not see), whose content
it is (`owner_id`), the rows by id whatever their state (`rows_get`, for the desk) and a
`preview` in plain data. The moderation desk then acts on any registered target by model, and
reports name it by `kind` ("note", "comment").
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class PreviewImage:
    """A photo of a target, as moderators see it (a staff-only rendition URL)."""

    url: str
    alt: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class ContentPreview:
    """What a moderator needs to judge a target, as plain data: its text as written (`title`,
    `text`), the language stored for it, its photos, where it is on the site, whose it is, and
    whether it is hidden already."""

    title: str = ""
    text: str = ""
    language: str = ""
    images: list[PreviewImage] = field(default_factory=list)
    url: str = ""
    owner_id: int | None = None
    is_hidden: bool = False
    # Whether the text is not public (a private or followers-only note): an outside
    # translation provider gets it only when self-hosted.
    private: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    # Under which part names the owner's translations of `title` and `text` are kept (a
    # community translation of that part wins over the machine's).
    title_part: str = "title"
    text_part: str = "body"


@dataclass(frozen=True)
class ModerationActions:
    hide: Callable[..., object]
    unhide: Callable[..., object]
    delete: Callable[..., object]
    kind: str = ""
    visible_get: Callable[..., models.Model] | None = None
    owner_id: Callable[[Any], int | None] | None = None
    rows_get: Callable[[Iterable[int]], dict[int, Any]] | None = None
    preview: Callable[[Any], ContentPreview] | None = None


class ModerationRegistry:
    def __init__(self) -> None:
        self._actions: dict[type[models.Model], ModerationActions] = {}

    def register(
        self,
        model: type[models.Model],
        *,
        hide: Callable[..., object],
        unhide: Callable[..., object],
        delete: Callable[..., object],
        kind: str = "",
        visible_get: Callable[..., models.Model] | None = None,
        owner_id: Callable[[Any], int | None] | None = None,
        rows_get: Callable[[Iterable[int]], dict[int, Any]] | None = None,
        preview: Callable[[Any], ContentPreview] | None = None,
    ) -> None:
        """Register `model`. `hide`, `unhide` and `delete` take the instance as their one
        keyword `target`. For reports: `kind` names the model in the API ("note");
        `visible_get(viewer=..., target_id=...)` is the instance if `viewer` may see it, else
        Http404; `owner_id(target)` is whose content it is. For the desk: `rows_get(ids)` the
        instances by id whatever their state (hidden too), in a constant number of queries;
        `preview(target)` a `ContentPreview`."""
        self._actions[model] = ModerationActions(
            hide=hide,
            unhide=unhide,
            delete=delete,
            kind=kind,
            visible_get=visible_get,
            owner_id=owner_id,
            rows_get=rows_get,
            preview=preview,
        )

    def actions_for(self, model: type[models.Model]) -> ModerationActions:
        try:
            return self._actions[model]
        except KeyError as exc:
            raise LookupError(f"{model.__name__} is not registered for moderation") from exc

    def is_registered(self, model: type[models.Model]) -> bool:
        return model in self._actions

    def model_for_kind(self, kind: str) -> type[models.Model] | None:
        """The registered model reports name `kind`, or None."""
        for model, actions in self._actions.items():
            if actions.kind and actions.kind == kind:
                return model
        return None

    @property
    def kinds(self) -> list[str]:
        return [actions.kind for actions in self._actions.values() if actions.kind]

    @property
    def models(self) -> list[type[models.Model]]:
        return list(self._actions)


registry = ModerationRegistry()


class HeldContentRegistry:
    """How held content of each model is let out once approved (`moderation.services.holds`):
    notes registers, for a note, "publish it and fan it out as a publication would" and, for a
    comment, "put it in the thread and announce it"."""

    def __init__(self) -> None:
        self._release: dict[type[models.Model], Callable[..., object]] = {}

    def register(self, model: type[models.Model], *, release: Callable[..., object]) -> None:
        """`release(target=...)` takes the instance, in the approving transaction."""
        self._release[model] = release

    def release_for(self, model: type[models.Model]) -> Callable[..., object]:
        try:
            return self._release[model]
        except KeyError as exc:
            raise LookupError(f"{model.__name__} cannot be held") from exc


held_registry = HeldContentRegistry()
