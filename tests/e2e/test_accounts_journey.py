import re

import pytest
from playwright.sync_api import expect

from accounts.models import Follow, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def log_in(page, login: str, password: str, next_url: str = "/settings/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("E-mail or handle").fill(login)
    page.get_by_label("Password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def test_sign_up_verify_log_in_edit_profile_and_follow(page, live_server, mailoutbox):
    UserFactory(handle="lily", display_name="Lily Zhang")

    # Sign up with e-mail, handle and password.
    page.goto("/accounts/signup/")
    page.get_by_label("E-mail", exact=True).fill("mei@example.com")
    page.get_by_label("Handle").fill("mei_lin")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("verification-sent")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    # Open the confirmation link from the e-mail and confirm.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mei@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    assert link[0].startswith(live_server.url)
    page.goto(link[0])
    expect(page.get_by_test_id("email-confirm")).to_contain_text("mei@example.com")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/login/**")

    # Log in with the handle, in another case than at sign-up.
    log_in(page, "MEI_LIN", PASSWORD)

    # Edit the profile in /settings/ and see it on the profile page.
    page.get_by_label("Display name").fill("Mei Lin 林梅")
    page.get_by_label("Bio").fill("Tea, trains and film photos.\nSay hi in any language!")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".message-success")).to_have_text("Your profile is saved.")
    page.get_by_role("link", name="View my profile").click()
    page.wait_for_url("**/@mei_lin/")
    expect(page.locator(".profile-name")).to_have_text("Mei Lin 林梅")
    expect(page.get_by_test_id("profile-bio")).to_have_text(
        "Tea, trains and film photos.\nSay hi in any language!"
    )

    # Follow someone: the button flips and the count goes up without a page load.
    page.goto("/@lily/")
    expect(page.get_by_test_id("follower-count")).to_have_text("0")
    page.evaluate("window.__samePage = true")
    button = page.get_by_test_id("follow-button")
    expect(button).to_have_text("Follow")
    button.click()
    expect(page.get_by_test_id("follow-button")).to_have_text("Following")
    expect(page.get_by_test_id("follower-count")).to_have_text("1")
    assert page.evaluate("window.__samePage") is True
    mei = User.objects.get(handle="mei_lin")
    assert Follow.objects.filter(follower=mei, followee__handle="lily").exists()

    # And back: unfollow flips it again.
    page.get_by_test_id("follow-button").click()
    expect(page.get_by_test_id("follow-button")).to_have_text("Follow")
    expect(page.get_by_test_id("follower-count")).to_have_text("0")
    assert page.evaluate("window.__samePage") is True


def test_language_switcher_shows_chinese_navigation(page):
    UserFactory(handle="lily", display_name="Lily Zhang")
    log_in(page, "lily", PASSWORD, next_url="/@lily/")
    discover = page.locator("nav.sidebar [data-nav=discover]")
    expect(discover).to_have_text("Discover")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(discover).to_have_text("发现")
    assert User.objects.get(handle="lily").ui_language == "zh-hans"

    # The choice sticks on the next page too.
    page.goto("/settings/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_follow_button_on_phone_layout(new_page, live_server):
    UserFactory(handle="lily", display_name="Lily Zhang")
    UserFactory(handle="sam", display_name="Sam")
    page = new_page(viewport={"width": 375, "height": 812})
    log_in(page, "sam", PASSWORD, next_url="/@lily/")

    expect(page.locator(".tabbar")).to_be_visible()
    expect(page.locator("nav.sidebar")).to_be_hidden()
    button = page.get_by_test_id("follow-button")
    box = button.bounding_box()
    assert box and box["x"] + box["width"] <= 375
    button.click()
    expect(page.get_by_test_id("follow-button")).to_have_text("Following")
    expect(page.get_by_test_id("follower-count")).to_have_text("1")
    # Nothing overflows sideways at 375 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
