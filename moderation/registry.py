"""What moderators can act on, registered by the apps that own it.

`moderation` sits below `notes` in the layers, so it cannot import notes; instead notes
registers its models here (as `admin.site.register` does) with the functions that hide, unhide
and delete them. The moderation desk then acts on any registered target by model.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ModerationActions:
    hide: Callable[..., object]
    unhide: Callable[..., object]
    delete: Callable[..., object]


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
    ) -> None:
        """Register `model`; each callable takes the instance as its one keyword `target`."""
        self._actions[model] = ModerationActions(hide=hide, unhide=unhide, delete=delete)

    def actions_for(self, model: type[models.Model]) -> ModerationActions:
        try:
            return self._actions[model]
        except KeyError as exc:
            raise LookupError(f"{model.__name__} is not registered for moderation") from exc

    def is_registered(self, model: type[models.Model]) -> bool:
        return model in self._actions

    @property
    def models(self) -> list[type[models.Model]]:
        return list(self._actions)


registry = ModerationRegistry()
