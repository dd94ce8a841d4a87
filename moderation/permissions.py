"""The "Moderator" group: what the moderation desk needs in Django admin, and nothing more.

Moderators see and decide reports (view and change), read the audit log, decide appeals,
keep keyword rules and review held content, lift suspensions, keep the slang glossary (review
readers' suggestions, add, edit and delete terms), and see notes, comments and people (the
desk's previews). They cannot add, edit or delete anyone's notes, comments or
accounts in admin: every decision goes through the desk's services.

The group is made by the migrations and kept after every `migrate` and `flush` (a
`post_migrate` receiver, as Django keeps permissions): a database emptied by a flush — a
transactional test's, say — still has it.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

MODERATOR_GROUP = "Moderator"
MODERATOR_PERMISSIONS: dict[str, list[str]] = {
    "moderation": [
        "view_report",
        "change_report",
        "view_auditlogentry",
        "view_appeal",
        "change_appeal",
        "view_keywordrule",
        "add_keywordrule",
        "change_keywordrule",
        "view_heldcontent",
        "change_heldcontent",
        "view_suspendedaccount",
        "change_suspendedaccount",
    ],
    "notes": ["view_note", "view_comment"],
    "accounts": ["view_user"],
    # The slang glossary: review suggestions, keep its terms (through its services, audited).
    "translations": [
        "view_glossaryterm",
        "add_glossaryterm",
        "change_glossaryterm",
        "delete_glossaryterm",
    ],
}


def moderator_group_ensure(**kwargs) -> Group:
    """The group, with at least its permissions (ones an administrator added are kept)."""
    apps = kwargs.get("apps") or global_apps
    using = kwargs.get("using", "default")
    for label in MODERATOR_PERMISSIONS:
        config = global_apps.get_app_config(label)
        create_permissions(config, verbosity=0, using=using, apps=apps)
    group, _created = Group.objects.get_or_create(name=MODERATOR_GROUP)
    wanted = Permission.objects.none()
    for label, codenames in MODERATOR_PERMISSIONS.items():
        wanted |= Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
    missing = wanted.exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
    return group
