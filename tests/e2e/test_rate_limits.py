"""Browser: past a rate limit the person is told so in a toast, and what they typed stays."""

import pytest
from playwright.sync_api import expect
from rest_framework.throttling import SimpleRateThrottle

from notes.models import Comment
from tests.e2e.test_notes import log_in
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_comment_past_the_limit_is_a_toast_and_the_text_stays(new_page, live_server, monkeypatch):
    # The live server runs in this process: the rate applies to it.
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "comments": "1/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    note = NoteFactory(author=UserFactory(handle="mei"), title="Dali old town")
    UserFactory(handle="sam")
    page = new_page()
    log_in(page, "sam", next_url=f"/notes/{note.pk}/")

    page.get_by_test_id("comment-input").fill("First!")
    page.get_by_test_id("comment-send").click()
    expect(page.get_by_test_id("comment-count")).to_have_text("1")

    page.get_by_test_id("comment-input").fill("And another thought")
    page.get_by_test_id("comment-send").click()
    expect(page.locator(".toast")).to_contain_text("Too many comments in a short time")
    expect(page.get_by_test_id("comment-input")).to_have_value("And another thought")
    expect(page.get_by_test_id("comment-count")).to_have_text("1")
    assert not Comment.objects.filter(body="And another thought").exists()
