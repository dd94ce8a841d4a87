"""The home feed in the browser: an empty Following feed suggests people to follow; following
someone from there fills it, and their next note arrives on its own (fan-out on publish)."""

import pytest
from playwright.sync_api import expect

from feeds.store import get_store
from notes.tasks import note_image_process_task
from tests.factories import NoteFactory, UserFactory

from .test_notes import log_in

pytestmark = pytest.mark.e2e


def test_follow_from_suggestions_then_a_new_note_reaches_the_following_feed(new_page):
    alice = UserFactory(handle="alice", display_name="Alice", languages=["zh-Hans"])
    bob = UserFactory(handle="bob", display_name="Bob")
    older = NoteFactory(author=alice, title="Dumplings at home")

    page = new_page()
    log_in(page, "bob", next_url="/following/")
    expect(page.get_by_test_id("grid-empty")).to_be_visible()
    suggested = page.get_by_test_id("suggested-person").filter(has_text="@alice")
    expect(suggested).to_have_count(1)
    suggested.get_by_test_id("follow-button").click()
    expect(suggested.get_by_test_id("follow-button")).to_contain_text("Following")

    page.reload()
    cards = page.get_by_test_id("note-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Dumplings at home")

    # Alice posts; when its photo is ready the note is published and fanned out.
    note = NoteFactory(author=alice, title="Night market in Taipei", processing=True)
    for image in note.images.all():
        note_image_process_task(image_id=image.pk)
    store = get_store()
    if store is not None:
        assert store.timeline_members(bob.pk) == [note.pk, older.pk]

    page.reload()
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Night market in Taipei")
    expect(cards.first).to_have_attribute("data-note-id", str(note.pk))
