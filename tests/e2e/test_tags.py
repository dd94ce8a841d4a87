"""Browser: a trending tag on Discover leads to its page; following it there with htmx and
without JavaScript; the Top tab; the Liked tab on a profile; a posted note's hashtag links lead
to tag pages that list it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from feeds.models import HashtagFollow
from notes import services
from notes.models import Hashtag, NoteLike
from tests.factories import NoteFactory, UserFactory, sample_photo

from .test_notes import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def citywalk(db):
    tag = Hashtag.objects.create(name="citywalk", display_name="CityWalk")
    # The oldest is the most liked: first in Top, last in Latest.
    notes = [NoteFactory(title=f"Walk {n}", like_count=2 - n) for n in range(3)]
    for note in notes:
        note.hashtags.add(tag)
    return tag, notes


def test_trending_tag_to_its_page_then_follow_and_top(page, citywalk):
    _tag, notes = citywalk
    reader = UserFactory(handle="reader")
    log_in(page, "reader", "/")
    page.get_by_test_id("trending").get_by_role("link", name="#CityWalk", exact=True).click()
    page.wait_for_url("**/tags/citywalk/")
    expect(page.get_by_role("heading", name="CityWalk")).to_be_visible()
    expect(page.get_by_test_id("tag-count")).to_have_text("3 notes")

    page.get_by_role("button", name="Follow #CityWalk", exact=True).click()
    expect(page.get_by_role("button", name="Following #CityWalk. Unfollow?")).to_be_visible()
    expect(page.get_by_test_id("tag-followers")).to_have_text("1 follower")
    assert page.url.endswith("/tags/citywalk/")  # swapped in place, no reload
    assert HashtagFollow.objects.filter(user=reader).count() == 1

    cards = page.locator("[data-testid=note-card]")
    assert cards.first.get_attribute("data-note-id") == str(notes[2].pk)
    page.get_by_test_id("tag-tab-top").click()
    page.wait_for_url("**/tags/citywalk/?tab=top")
    assert cards.first.get_attribute("data-note-id") == str(notes[0].pk)

    page.get_by_role("button", name="Following #CityWalk. Unfollow?").click()
    expect(page.get_by_role("button", name="Follow #CityWalk", exact=True)).to_be_visible()
    assert not HashtagFollow.objects.exists()


def test_follow_a_tag_without_javascript(browser, live_server, citywalk):
    UserFactory(handle="plain")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "plain", "/tags/citywalk/")
        page.get_by_role("button", name="Follow #CityWalk", exact=True).click()
        page.wait_for_url("**/tags/citywalk/")
        expect(page.get_by_text("You now follow #CityWalk.")).to_be_visible()
        expect(page.get_by_role("button", name="Following #CityWalk. Unfollow?")).to_be_visible()
    finally:
        context.close()


def test_liked_tab_is_the_owners_unless_public(new_page, citywalk):
    _tag, notes = citywalk
    liker = UserFactory(handle="liker")
    NoteLike.objects.create(user=liker, note=notes[0])
    UserFactory(handle="visitor")

    own = new_page()
    log_in(own, "liker", "/@liker/")
    own.get_by_test_id("section-liked").click()
    own.wait_for_url("**/@liker/liked/")
    expect(own.get_by_test_id("liked-private-note")).to_be_visible()
    expect(own.locator("[data-testid=note-card]")).to_have_count(1)

    other = new_page()
    log_in(other, "visitor", "/@liker/")
    expect(other.get_by_test_id("section-liked")).to_have_count(0)
    assert other.goto("/@liker/liked/").status == 404

    own.goto("/settings/")
    own.get_by_label("Show the notes I liked on my profile").check()
    own.get_by_role("button", name="Save profile").click()
    own.wait_for_url("**/settings/")
    other.goto("/@liker/")
    other.get_by_test_id("section-liked").click()
    expect(other.locator("[data-testid=note-card]")).to_have_count(1)


def test_a_posted_note_is_on_its_tag_page_from_its_hashtag_link(
    new_page, django_capture_on_commit_callbacks
):
    author = UserFactory(handle="poster")
    UserFactory(handle="browser")
    photo = SimpleUploadedFile("p.jpg", sample_photo("original"), content_type="image/jpeg")
    image = services.media_upload(owner=author, file=photo)
    with django_capture_on_commit_callbacks(execute=True):  # the photo is processed (eager)
        note = services.note_create(
            author=author, media_ids=[image.pk], title="Sunday", body="Old town #周末 #CityWalk"
        )
    note.refresh_from_db()
    assert note.status == "published"

    page = new_page()
    log_in(page, "browser", note.get_absolute_url())
    page.get_by_role("link", name="#CityWalk", exact=True).click()
    page.wait_for_url("**/tags/citywalk/")
    expect(page.locator(f"[data-note-id='{note.pk}']")).to_be_visible()
    expect(page.get_by_test_id("tag-count")).to_have_text("1 note")
    page.goto(note.get_absolute_url())
    page.get_by_role("link", name="#周末").click()
    page.wait_for_url("**/tags/%E5%91%A8%E6%9C%AB/")
    expect(page.locator(f"[data-note-id='{note.pk}']")).to_be_visible()
