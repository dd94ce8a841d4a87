"""The demo data set of the quick start: each app registers the sections it loads.

It works the way `admin.site.register` does: an app's `demo` module calls
`register("notes", order=30, load=notes_load)` when imported, and `demo_load` imports every
app's `demo` module, then runs the registered sections in order — users before the notes they
write, notes before their likes — in one transaction, all sharing one `DemoContext`. So the
`seed_demo` command lives here, in the lowest layer, and no app imports one above it: a new
app (comments, translations) adds a section without touching the others.

A section is idempotent: whatever already exists is left as it is and not counted as new, so
seeding twice creates nothing.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

SEED_FILE = Path(settings.BASE_DIR) / "demo" / "seed.json"


@dataclass
class SectionResult:
    """How many rows of a section the seed file has, and how many of them were new."""

    total: int = 0
    created: int = 0


@dataclass
class DemoContext:
    """What the sections share.

    `data` is the seed file; its photos are in `directory / "photos"`. `notes_limit` loads
    only the first N notes (None: all) and `admin` asks for the superuser. `loaded` is filled
    by the sections for the later ones: `loaded["users"]["mossy_mae"]` is a User,
    `loaded["notes"]["n01"]` a Note. `messages` are printed after the summary.
    """

    data: dict[str, Any]
    directory: Path
    notes_limit: int | None = None
    admin: bool = False
    loaded: defaultdict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path = SEED_FILE, **options: Any) -> "DemoContext":
        """Read a seed file; OSError or ValueError when it cannot be read as JSON."""
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            raise ValueError("the seed file is not a JSON object")
        return cls(data=data, directory=Path(path).resolve().parent, **options)


# A section's loader; it returns None when it is not part of the summary (the superuser).
SectionLoader = Callable[[DemoContext], SectionResult | None]


@dataclass(frozen=True)
class DemoSection:
    name: str
    order: int
    load: SectionLoader


_sections: dict[str, DemoSection] = {}


def register(name: str, *, order: int, load: SectionLoader) -> None:
    """Add a section, run by `demo_load` after every section of a lower `order`."""
    existing = _sections.get(name)
    if existing is not None and existing.load is not load:
        raise ImproperlyConfigured(f"Two demo sections are named {name!r}.")
    _sections[name] = DemoSection(name=name, order=order, load=load)


def demo_sections() -> list[DemoSection]:
    """Every app's sections (their `demo` modules imported first), in the order they run."""
    autodiscover_modules("demo")
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def demo_load(context: DemoContext) -> dict[str, SectionResult]:
    """Run every section in order, in one transaction: all of it or, on error, nothing.

    Returns the result of each section in the summary, by name, in order. A section refuses
    a row it cannot load by raising ValidationError.
    """
    results = {}
    with transaction.atomic():
        for section in demo_sections():
            result = section.load(context)
            if result is not None:
                results[section.name] = result
    return results
