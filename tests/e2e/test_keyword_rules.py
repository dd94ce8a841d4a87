"""Browser: keyword rules as people meet them. A refused comment shows the rule's message and
is not posted; a held comment shows to its author marked "Waiting for review" and to nobody
else; a moderator approves it from the review queue in Django admin, and then everyone sees
it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from moderation.models import AuditLogEntry, KeywordAction
from moderation.services.keywords import keyword_rule_create
from notes.models import Comment
from tests.factories import NoteFactory, UserFactory

from .test_moderation_journey import admin_log_in
from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_refused_then_held_comment_approved_in_admin(new_page):
    # Both read Chinese: the comments are shown as written (no reading aids on them).
    bilingual = {"languages": ["en", "zh-Hans"], "read_languages": ["en", "zh-Hans"]}
    mei = UserFactory(handle="mei", display_name="Mei", **bilingual)
    UserFactory(handle="sam", display_name="Sam", **bilingual)
    moderator = UserFactory(handle="mod", is_staff=True)
    # What the Moderator group grants for this queue (the group itself is migration data,
    # which an earlier transactional test's flush may have removed).
    moderator.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="moderation",
            codename__in=["view_heldcontent", "change_heldcontent"],
        )
    )
    keyword_rule_create(
        moderator=None, term="骗子", action=KeywordAction.REFUSE, message="请文明发言。"
    )
    keyword_rule_create(moderator=None, term="加微信", language="zh-Hans")
    note = NoteFactory(author=mei, title="Dali old town")
    url = f"/notes/{note.pk}/"

    sam = new_page()
    log_in(sam, "sam", next_url=url)
    sam.get_by_test_id("comment-input").fill("你是骗子")
    sam.get_by_test_id("comment-send").click()
    expect(sam.get_by_test_id("comment-errors")).to_contain_text("请文明发言。")
    assert not Comment.objects.exists()

    sam.get_by_test_id("comment-input").fill("想要的话加微信聊")
    sam.get_by_test_id("comment-send").click()
    held = sam.get_by_test_id("comment").filter(has_text="加微信聊")
    expect(held.get_by_test_id("comment-held")).to_be_visible()
    sam.reload()
    expect(sam.get_by_test_id("comment").filter(has_text="加微信聊")).to_have_count(1)

    author = new_page()
    log_in(author, "mei", next_url=url)
    expect(author.get_by_test_id("comment").filter(has_text="加微信聊")).to_have_count(0)

    desk = new_page()
    admin_log_in(desk, "mod", "/admin/moderation/heldcontent/")
    desk.locator("#result_list tbody th a").first.click()
    expect(desk.locator(".held-text")).to_contain_text("想要的话加微信聊")
    desk.get_by_test_id("held-approve").click()
    desk.wait_for_url("**/admin/moderation/heldcontent/")
    assert AuditLogEntry.objects.get().action == "approve"

    author.reload()
    shown = author.get_by_test_id("comment").filter(has_text="加微信聊")
    expect(shown).to_have_count(1)
    expect(shown.get_by_test_id("comment-held")).to_have_count(0)
