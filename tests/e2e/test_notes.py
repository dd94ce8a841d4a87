import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from notes.models import Board, BoardNote, Note, NoteLike, NoteStatus
from notes.tasks import note_image_process_task
from rednote.celery import QUEUES
from rednote.celery import app as celery_app
from tests.factories import PASSWORD, NoteFactory, UserFactory

pytestmark = pytest.mark.e2e


def log_in(page, login: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("E-mail or handle").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def _celery_connections_forget() -> None:
    # The app caches its connection and producer pools for the broker it first used; drop
    # them (kombu keeps them per broker URL) so the next send looks up the current broker.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def tasks_wait_for_a_worker():
    """Celery as on the full stack, minus the worker: tasks wait in an in-memory queue instead
    of running eagerly, so the browser sees the note "processing" until the test does the
    worker's job by running the queued task itself."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"
    _celery_connections_forget()
    yield
    with celery_app.connection_for_write() as connection:
        for queue in QUEUES:
            try:
                connection.default_channel.queue_purge(queue)
            except KeyError:  # never declared: nothing was sent to it
                pass
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    _celery_connections_forget()


@pytest.fixture
def two_photos(tmp_path):
    paths = []
    for name, size, colour in (
        ("red.jpg", (800, 600), "#d9534f"),
        ("blue.jpg", (600, 900), "#3b6e8f"),
    ):
        path = tmp_path / name
        Image.new("RGB", size, colour).save(path, "JPEG", quality=85)
        paths.append(str(path))
    return paths


def test_post_a_note_see_it_processed_like_and_collect_it(
    new_page, live_server, tasks_wait_for_a_worker, two_photos
):
    alice = UserFactory(handle="alice", display_name="Alice")
    page = new_page()
    log_in(page, "alice", next_url="/notes/new/")

    # Pick two photos: previews appear and each uploads on its own, with a progress bar.
    page.get_by_test_id("photo-picker").set_input_files(two_photos)
    items = page.get_by_test_id("photo-item")
    expect(items).to_have_count(2)
    expect(page.locator("[data-testid=photo-item][data-state=done]")).to_have_count(2)
    assert page.locator(".photo-thumb img").first.evaluate("img => img.src").startswith("blob:")

    # Put the blue photo first with the accessible "move left" button, describe both.
    items.nth(1).get_by_role("button", name="Move photo 2 left").click()
    page.get_by_test_id("photo-alt").nth(0).fill("A blue door")
    page.get_by_test_id("photo-alt").nth(1).fill("A red wall")

    title = page.get_by_test_id("note-title-input")
    title.fill("Two doors in #Shanghai")
    expect(page.locator(".counted .counter").first).to_have_text("22/100")
    page.get_by_test_id("note-body-input").fill("Walked all afternoon. #citywalk")
    page.get_by_test_id("note-submit").click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))

    # The photos wait for the worker: the author sees "processing".
    note = Note.objects.get(author=alice)
    assert note.status == NoteStatus.PROCESSING
    assert [i.alt_text for i in note.images.all()] == ["A blue door", "A red wall"]
    assert note.images.all()[0].original_height == 900
    status = page.get_by_test_id("note-status")
    expect(status).to_contain_text("Processing")
    page.evaluate("window.__beforeReady = true")

    # The worker's turn; the banner polls and the page shows the published note by itself.
    for image in note.images.all():
        note_image_process_task(image_id=image.pk)
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED
    detail = page.get_by_test_id("note-detail")
    expect(detail).to_have_attribute("data-status", "published", timeout=10_000)
    expect(page.get_by_test_id("note-status")).to_have_count(0)
    slides = page.locator("[data-testid=carousel-slide] img")
    expect(slides).to_have_count(2)
    expect(slides.first).to_have_attribute("alt", "A blue door")
    # The rendition is fetched after the swap: wait for it to arrive (decoded, with pixels).
    slides.first.wait_for(state="visible")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=slides.first.element_handle()
    )
    expect(page.get_by_role("link", name="#citywalk")).to_have_attribute("href", "/tags/citywalk/")

    # The carousel moves with its arrow and the keyboard.
    counter = page.locator(".carousel-counter")
    expect(counter).to_have_text("1/2")
    page.get_by_test_id("carousel-next").click()
    expect(counter).to_have_text("2/2")
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text("1/2")

    # Like it: the count goes 0 → 1 without a page load.
    page.evaluate("window.__samePage = true")
    expect(page.get_by_test_id("like-count")).to_have_text("0")
    page.get_by_test_id("like-button").click()
    expect(page.get_by_test_id("like-count")).to_have_text("1")
    expect(page.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "true")
    assert NoteLike.objects.filter(user=alice, note=note).count() == 1

    # Collect it into a new board made in the picker.
    page.get_by_test_id("collect-button").click()
    picker = page.get_by_test_id("board-picker")
    expect(picker).to_be_visible()
    picker.get_by_test_id("new-board-name").fill("Shanghai walks")
    picker.get_by_test_id("new-board-submit").click()
    expect(page.get_by_test_id("collect-count")).to_have_text("1")
    chosen = page.get_by_test_id("board-option").filter(has_text="Shanghai walks")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__samePage") is True
    board = Board.objects.get(owner=alice, name="Shanghai walks")
    assert BoardNote.objects.filter(board=board, note=note).exists()

    # And it is on the board's page.
    page.goto(f"/boards/{board.pk}/")
    expect(page.get_by_test_id("board-name")).to_contain_text("Shanghai walks")
    card = page.get_by_test_id("note-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Two doors in #Shanghai")


def test_composer_shows_a_refused_photo_on_that_photo(new_page, live_server, tmp_path):
    UserFactory(handle="alice")
    fake = tmp_path / "drawing.png"
    fake.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    good = tmp_path / "good.jpg"
    Image.new("RGB", (300, 200), "#f0c040").save(good, "JPEG")
    page = new_page()
    log_in(page, "alice", next_url="/notes/new/")
    page.get_by_test_id("photo-picker").set_input_files([str(good), str(fake)])
    expect(page.locator("[data-testid=photo-item][data-state=done]")).to_have_count(1)
    bad = page.locator("[data-testid=photo-item][data-state=failed]")
    expect(bad).to_have_count(1)
    expect(bad.get_by_test_id("photo-error")).to_contain_text("JPEG")

    # Posting is refused until the bad photo is removed; then it goes through.
    page.get_by_test_id("note-title-input").fill("Golden hour")
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("photos-error")).to_be_visible()
    assert not Note.objects.exists()
    bad.get_by_test_id("photo-remove").click()
    page.get_by_test_id("note-submit").click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    assert Note.objects.get().images.count() == 1


def test_composer_shows_server_errors_on_fields(new_page, live_server, tmp_path):
    UserFactory(handle="alice")
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (300, 200), "#40a0f0").save(photo, "JPEG")
    page = new_page()
    log_in(page, "alice", next_url="/notes/new/")

    # No photo at all: the error is on the photos.
    page.get_by_test_id("note-title-input").fill("Nothing to show")
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("photos-error")).to_have_text("Add at least one photo.")

    # A photo but no words: the error is on the title, and the previews stay.
    page.get_by_test_id("photo-picker").set_input_files([str(photo)])
    expect(page.locator("[data-testid=photo-item][data-state=done]")).to_have_count(1)
    page.get_by_test_id("note-title-input").fill("")
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("title-error")).to_have_text("Give the note a title or some text.")
    expect(page.get_by_test_id("photo-item")).to_have_count(1)
    assert not Note.objects.exists()


def test_discover_grid_and_load_more_on_a_phone(new_page, live_server):
    author = UserFactory(handle="mei", display_name="Mei")
    for n in range(30):
        NoteFactory(author=author, title=f"Note number {n}")
    page = new_page(viewport={"width": 375, "height": 812})
    page.goto("/")
    cards = page.get_by_test_id("note-card")
    expect(cards).to_have_count(24)
    # Two masonry columns, side by side, and nothing overflows sideways.
    expect(page.locator(".masonry-column")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("load-more").scroll_into_view_if_needed()
    expect(cards).to_have_count(30)
    expect(page.get_by_test_id("load-more")).to_have_count(0)
    # Anonymous likes go to the log-in page.
    cards.first.get_by_test_id("like-button").click()
    page.wait_for_url("**/accounts/login/**")


def test_composer_reorders_photos_by_dragging(new_page, live_server, tmp_path):
    alice = UserFactory(handle="alice")
    paths = []
    for n, colour in enumerate(("#e0a080", "#80a0e0", "#a0e080")):
        path = tmp_path / f"{n}.jpg"
        Image.new("RGB", (200 + n, 300), colour).save(path, "JPEG")
        paths.append(str(path))
    page = new_page()
    log_in(page, "alice", next_url="/notes/new/")
    page.get_by_test_id("photo-picker").set_input_files(paths)
    expect(page.locator("[data-testid=photo-item][data-state=done]")).to_have_count(3)
    items = page.get_by_test_id("photo-item")
    items.nth(2).drag_to(items.nth(0))
    page.get_by_test_id("note-title-input").fill("Reordered")
    page.get_by_test_id("note-submit").click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    note = Note.objects.get(author=alice)
    assert [i.original_width for i in note.images.all()] == [202, 200, 201]
