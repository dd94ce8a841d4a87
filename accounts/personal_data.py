"""A person's data across the apps: what goes into their export archive and what is erased
when they delete their account, contributed by the apps that own it.

`accounts` sits below `notes` in the layers, so it cannot read notes, comments, likes or
boards itself; instead each app registers a part here (as `moderation.registry` does for what
moderators can act on), in its `AppConfig.ready()`:

    personal_data.register(
        "notes", export=notes_export, erase=notes_erase, order=10
    )

- `export(user=..., archive=...)` returns a dict of JSON-able sections, merged into the top
  level of the archive's `data.json` (no two parts may use the same key), and may add files
  to the archive (`ExportArchive.add_file`), e.g. photos.
- `erase(user=...)` removes the person's data of that app through the app's own services, so
  counters, feeds and notifications are kept right (it runs in a task, the account already
  inactive; it must be safe to run again after a partial run).

Parts run by `order`, then name; accounts' own part (profile, follows, blocks, mutes) runs
first for the export, and the user row is deleted after every part has erased its data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files.storage import Storage


class ExportArchive(Protocol):
    """Where an export part puts files (the ZIP being built)."""

    def add_file(self, arcname: str, *, storage: Storage, name: str) -> bool:
        """Copy the stored file `name` of `storage` into the archive as `arcname`; False
        (and nothing added) when the file is missing."""
        ...


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    export: Callable[..., Any] | None
    erase: Callable[..., object] | None
    order: int


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._parts: dict[str, PersonalDataPart] = {}

    def register(
        self,
        name: str,
        *,
        export: Callable[..., Any] | None = None,
        erase: Callable[..., object] | None = None,
        order: int = 100,
    ) -> None:
        """Register (or replace) the part called `name`; see the module's docstring."""
        self._parts[name] = PersonalDataPart(name=name, export=export, erase=erase, order=order)

    @property
    def parts(self) -> list[PersonalDataPart]:
        return sorted(self._parts.values(), key=lambda part: (part.order, part.name))

    def is_registered(self, name: str) -> bool:
        return name in self._parts


registry = PersonalDataRegistry()
