"""The demo sections of accounts: users, follows and the superuser (see rednote/demo.py).

Users are matched by handle, follows by their pair, so loading twice adds nothing. Later
sections find the demo users through `demo_user`.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction

from rednote.demo import DemoContext, SectionResult, register

from .models import Follow, User
from .services import follow_create, user_create

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - published demo credentials
DEMO_EMAIL_DOMAIN = "demo.rednote.localhost"
ADMIN_HANDLE = "admin"
ADMIN_PASSWORD = "admin-pass-2025"  # noqa: S105 - published demo credentials


def users_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    users = context.loaded["users"]
    for row in context.data.get("users", []):
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
        users[row["handle"]] = user
    if result.total:
        context.messages.append(f"Every demo user logs in with the password {DEMO_PASSWORD!r}.")
    return result


def follows_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    for follower_handle, followee_handle in context.data.get("follows", []):
        result.total += 1
        follower = demo_user(context, follower_handle)
        followee = demo_user(context, followee_handle)
        if Follow.objects.filter(follower=follower, followee=followee).exists():
            continue
        follow_create(follower=follower, followee=followee)
        result.created += 1
    return result


def admin_load(context: DemoContext) -> None:
    """The superuser, when asked for; reported in a message, not in the summary."""
    if not context.admin:
        return
    if admin_ensure():
        context.messages.append(f"Admin created: {ADMIN_HANDLE} / {ADMIN_PASSWORD!r}, at /admin/.")
    else:
        context.messages.append(f"Admin: {ADMIN_HANDLE!r} already exists, left unchanged.")


def demo_user(context: DemoContext, handle: str) -> User:
    """The user with this handle, loaded by the users section or already there.

    Raises ValidationError for a handle nobody has: the seed file refers to an unknown user.
    """
    users = context.loaded["users"]
    user = users.get(handle) or User.objects.by_handle(handle).first()
    if user is None:
        raise ValidationError({"user": [f"Unknown demo user @{handle}."]})
    users[handle] = user
    return user


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


register("users", order=10, load=users_load)
register("follows", order=20, load=follows_load)
# Last, after every app's sections: the superuser is not demo content.
register("admin", order=1000, load=admin_load)
