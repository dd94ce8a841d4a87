"""A private account in the browser: a follow becomes a request ("Requested"); the owner sees
it in the notifications' Follows tab and on the requests page, accepts it there; the follower
list opens to the new follower, and they are told."""

import pytest
from playwright.sync_api import expect

from accounts.models import Follow, FollowRequest
from tests.factories import UserFactory

from .test_notes import log_in

pytestmark = pytest.mark.e2e


def test_request_accept_and_the_lists_open(new_page):
    UserFactory(handle="lin", display_name="Lin", is_private=True)
    UserFactory(handle="sam", display_name="Sam")

    sam = new_page()
    log_in(sam, "sam", next_url="/@lin/")
    sam.get_by_test_id("follow-button").click()
    expect(sam.get_by_test_id("follow-button")).to_contain_text("Requested")
    assert FollowRequest.objects.filter(requester__handle="sam").exists()
    sam.goto("/@lin/followers/")
    expect(sam.get_by_test_id("people-private")).to_be_visible()

    lin = new_page()
    log_in(lin, "lin", next_url="/notifications/?tab=follows")
    row = lin.locator('[data-kind="follow_request"]')
    expect(row).to_contain_text("asked to follow you")
    lin.get_by_test_id("follow-requests-link").click()
    lin.wait_for_url("**/follow-requests/")
    request_row = lin.get_by_test_id("follow-request").filter(has_text="@sam")
    request_row.get_by_test_id("accept-request").click()
    expect(request_row.get_by_test_id("follow-request-accepted")).to_contain_text(
        "@sam now follows you."
    )
    assert Follow.objects.filter(follower__handle="sam", followee__handle="lin").exists()

    sam.goto("/@lin/followers/")
    expect(sam.get_by_test_id("people-followers")).to_contain_text("@sam")
    sam.goto("/notifications/?tab=follows")
    expect(sam.locator('[data-kind="follow_accepted"]')).to_contain_text(
        "accepted your request to follow them"
    )
