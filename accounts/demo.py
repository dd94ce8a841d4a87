"""Demo content for the quick start: `python manage.py seed_demo` loads demo/seed.json.

The loader has one method per section of the file, run in order, each idempotent: whatever
already exists is left as it is, so seeding twice changes nothing. Later apps add their
sections (notes, comments, likes, boards) as further `load_<section>` methods and list them in
`SECTIONS`.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from .models import Follow, User
from .services import follow_create, user_create

SEED_FILE = Path(settings.BASE_DIR) / "demo" / "seed.json"
DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - published demo credentials
DEMO_EMAIL_DOMAIN = "demo.rednote.localhost"
ADMIN_HANDLE = "admin"
ADMIN_PASSWORD = "admin-pass-2025"  # noqa: S105 - published demo credentials


@dataclass
class SectionResult:
    total: int = 0
    created: int = 0


@dataclass
class DemoLoader:
    """Loads the demo data set; `users` maps each demo handle to its User once loaded."""

    data: dict
    users: dict[str, User] = field(default_factory=dict)
    results: dict[str, SectionResult] = field(default_factory=dict)

    SECTIONS = ("users", "follows")

    @classmethod
    def from_file(cls, path: Path = SEED_FILE) -> "DemoLoader":
        with open(path, encoding="utf-8") as fh:
            return cls(data=json.load(fh))

    def run(self) -> dict[str, SectionResult]:
        """Load every section in one transaction: all of it or, on error, nothing."""
        with transaction.atomic():
            for section in self.SECTIONS:
                self.results[section] = getattr(self, f"load_{section}")()
        return self.results

    def load_users(self) -> SectionResult:
        result = SectionResult()
        for row in self.data["users"]:
            result.total += 1
            user = User.objects.by_handle(row["handle"]).first()
            if user is None:
                user = user_create(
                    handle=row["handle"],
                    email=f"{row['handle'].lower()}@{DEMO_EMAIL_DOMAIN}",
                    password=DEMO_PASSWORD,
                    display_name=row["display_name"],
                    languages=row["languages"],
                    read_languages=row["reads"],
                    email_verified=True,
                    bio=row.get("bio", ""),
                    region=row.get("region", ""),
                    avatar_color=row.get("avatar_color", "#ff2442"),
                    ui_language=ui_language_for(row["languages"]),
                )
                result.created += 1
            self.users[row["handle"]] = user
        return result

    def load_follows(self) -> SectionResult:
        result = SectionResult()
        for follower_handle, followee_handle in self.data["follows"]:
            result.total += 1
            follower = self.users[follower_handle]
            followee = self.users[followee_handle]
            if Follow.objects.filter(follower=follower, followee=followee).exists():
                continue
            follow_create(follower=follower, followee=followee)
            result.created += 1
        return result


def ui_language_for(languages: list[str]) -> str:
    """The interface language of someone who speaks only one of ours; else follow the browser."""
    if languages == ["zh-Hans"]:
        return "zh-hans"
    if languages == ["en"]:
        return "en"
    return ""


def admin_ensure() -> bool:
    """Create the demo superuser `admin` (verified e-mail) unless it exists; True if created.

    `admin` is a reserved handle, which sign-up refuses, so it is made here directly.
    """
    if User.objects.by_handle(ADMIN_HANDLE).exists():
        return False
    email = f"{ADMIN_HANDLE}@{DEMO_EMAIL_DOMAIN}"
    with transaction.atomic():
        admin = User.objects.create_superuser(
            handle=ADMIN_HANDLE,
            email=email,
            password=ADMIN_PASSWORD,
            display_name="Admin",
            languages=["en", "zh-Hans"],
        )
        EmailAddress.objects.create(user=admin, email=email, primary=True, verified=True)
    return True
