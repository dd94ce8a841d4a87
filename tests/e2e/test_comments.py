"""Browser: a reader comments, replies ("Reply @name"), expands replies, likes and deletes on a
note page without a reload; the counters follow."""

import pytest
from playwright.sync_api import expect

from notes import services
from notes.models import Comment
from tests.e2e.test_notes import log_in
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_comment_reply_and_expand_without_reload(new_page, live_server):
    mei = UserFactory(handle="mei", display_name="Mei")
    UserFactory(handle="sam", display_name="Sam")
    carol = UserFactory(handle="carol", display_name="Carol")
    note = NoteFactory(author=mei, title="成都火锅", body="Spicy!")
    top = services.comment_create(author=mei, note=note, body="Try the tripe")
    for n in range(4):
        services.comment_create(author=carol, note=note, body=f"carol reply {n}", parent=top)
    url = f"/notes/{note.pk}/"

    page = new_page()
    log_in(page, "sam", next_url=url)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    expect(page.get_by_test_id("comment-count")).to_have_text("5")

    # Post a comment (with markup, shown as text).
    page.get_by_test_id("comment-input").fill("Looks <b>amazing</b> @mei")
    page.get_by_test_id("comment-send").click()
    first = page.get_by_test_id("comment").first.locator(":scope > .comment-main > .comment-body")
    expect(first).to_have_text("Looks <b>amazing</b> @mei")
    expect(first.locator("a.mention")).to_have_text("@mei")
    expect(page.get_by_test_id("comment-count")).to_have_text("6")
    expect(page.get_by_test_id("comment-input")).to_have_value("")

    # Expand the folded replies.
    thread = page.locator(f"#comment-{top.pk}")
    expect(thread.get_by_test_id("reply")).to_have_count(2)
    thread.get_by_test_id("replies-expand").click()
    expect(thread.get_by_test_id("reply")).to_have_count(4)
    expect(thread.get_by_test_id("replies-expand")).to_have_count(0)

    # Reply to one of Carol's replies: filed under the top-level comment, "Reply @carol".
    last = Comment.objects.filter(parent=top).order_by("-id").first()
    page.locator(f"#comment-{last.pk}").get_by_test_id("comment-reply").first.click()
    reply_input = page.get_by_test_id("reply-input")
    expect(reply_input).to_have_attribute("placeholder", "Reply @carol")
    reply_input.fill("Same here!")
    page.get_by_test_id("reply-send").click()
    expect(page.get_by_test_id("reply-form")).to_have_count(0)
    new_reply = thread.get_by_test_id("reply").last
    expect(new_reply.get_by_test_id("comment-body")).to_contain_text("Reply @carol")
    expect(new_reply.get_by_test_id("comment-body")).to_contain_text("Same here!")
    expect(page.get_by_test_id("comment-count")).to_have_text("7")

    # Like Mei's comment.
    like = thread.locator(":scope > .comment-main > .comment-meta [data-testid=comment-like]")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")

    # Delete the reply, confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    new_reply.get_by_test_id("comment-delete").click()
    expect(thread.get_by_text("Same here!")).to_have_count(0)
    expect(page.get_by_test_id("comment-count")).to_have_text("6")

    assert page.evaluate("window.__sameDocument") is True
    assert not Comment.objects.filter(body="Same here!").exists()


def test_comment_in_the_discover_overlay(new_page, live_server):
    from feeds.ranking import discover_ranks_recompute

    note = NoteFactory(author=UserFactory(handle="mei"), title="Overlay note")
    discover_ranks_recompute(since=None)
    UserFactory(handle="sam")
    page = new_page()
    log_in(page, "sam", next_url="/")
    page.evaluate("window.__sameDocument = true")
    page.locator(f"[data-testid=note-card][data-note-id='{note.pk}'] .note-card-title").click()
    overlay = page.get_by_test_id("note-overlay")
    expect(overlay.get_by_test_id("comments-empty")).to_be_visible()
    overlay.get_by_test_id("comment-input").fill("Hello from the overlay")
    overlay.get_by_test_id("comment-send").click()
    expect(overlay.get_by_test_id("comment")).to_have_count(1)
    expect(overlay.get_by_test_id("comment")).to_contain_text("Hello from the overlay")
    expect(overlay.get_by_test_id("comments-empty")).to_be_hidden()
    expect(overlay.get_by_test_id("comment-count")).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True
    assert Comment.objects.get().note_id == note.pk
