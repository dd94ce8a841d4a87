"""Suspended accounts in the moderation admin (a proxy of the user, no table), and the
"Moderator" group's permissions to see them and lift a suspension."""

from django.db import migrations

GROUP = "Moderator"
CODENAMES = ["view_suspendedaccount", "change_suspendedaccount"]


def group_permissions_add(apps, schema_editor) -> None:
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("moderation")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    found = Permission.objects.filter(content_type__app_label="moderation", codename__in=CODENAMES)
    group.permissions.add(*found)


def group_permissions_remove(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        found = Permission.objects.filter(
            content_type__app_label="moderation", codename__in=CODENAMES
        )
        group.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_dataexport_private_archive"),
        ("moderation", "0002_moderator_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="SuspendedAccount",
            fields=[],
            options={
                "verbose_name": "suspended account",
                "verbose_name_plural": "suspended accounts",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("accounts.user",),
        ),
        migrations.RunPython(group_permissions_add, group_permissions_remove),
    ]
