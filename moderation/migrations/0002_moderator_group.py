"""The "Moderator" group: what the moderation desk needs in Django admin, and nothing more.

Moderators see and decide reports (the desk: view and change), read the audit log, decide
appeals, keep keyword rules and review held content, and see notes, comments and people (the
desk's previews, the notes admin's photo renditions). They cannot add, edit or delete anyone's
notes, comments or accounts in admin: every decision goes through the desk's services.
"""

from django.db import migrations

GROUP = "Moderator"
PERMISSIONS = {
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
    ],
    "notes": ["view_note", "view_comment"],
    "accounts": ["view_user"],
}


def _permissions_created(apps) -> None:
    """Permissions are normally made after every migration has run; make them now, so the
    group can be given them on a fresh database."""
    from django.contrib.auth.management import create_permissions

    for label in ("moderation", "notes", "accounts"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None


def group_create(apps, schema_editor) -> None:
    _permissions_created(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codenames in PERMISSIONS.items():
        found = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found: {app_label} {sorted(missing)}")
        group.permissions.add(*found)


def group_delete(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0006_private_suspension_requests_exports"),
        ("notes", "0007_comments"),
        ("moderation", "0001_reports_audit_appeals_keywords"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
