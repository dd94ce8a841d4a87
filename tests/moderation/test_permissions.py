"""The Moderator group survives a flush (transactional tests, `manage.py flush`): it is kept
by a post_migrate receiver, with exactly the permissions the desk needs."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from moderation.permissions import MODERATOR_GROUP, MODERATOR_PERMISSIONS, moderator_group_ensure

pytestmark = pytest.mark.django_db(transaction=True)


def granted() -> set[tuple[str, str]]:
    group = Group.objects.get(name=MODERATOR_GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def wanted() -> set[tuple[str, str]]:
    return {(label, code) for label, codes in MODERATOR_PERMISSIONS.items() for code in codes}


def test_the_group_is_there_after_a_flush():
    assert granted() == wanted()
    call_command("flush", "--no-input", verbosity=0)
    assert granted() == wanted()


def test_ensuring_keeps_what_an_administrator_added():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=MODERATOR_GROUP)
    extra = Permission.objects.get(codename="view_notification")
    group.permissions.add(extra)
    group.permissions.remove(Permission.objects.get(codename="view_report"))
    moderator_group_ensure()
    assert granted() == wanted() | {("notifications", "view_notification")}
