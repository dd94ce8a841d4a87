"""Note page and composer templates: shapes and stated limits."""

import re

import pytest

from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("size", "ratio"),
    [
        ((1080, 810), "1.3333"),
        ((1080, 1440), "0.75"),
        ((3000, 1000), "1.3333"),
        ((900, 1600), "0.75"),
    ],
    ids=["landscape", "portrait", "panorama-clamped", "tall-clamped"],
)
def test_note_page_takes_the_cover_shape(client, size, ratio):
    """The whole note page (not only the carousel) gets the cover's ratio, within 3:4 and 4:3,
    so the desktop layout sizes the photo pane to it instead of framing it in grey bands."""
    note = NoteFactory(images__width=size[0], images__height=size[1])
    html = client.get(note.get_absolute_url()).content.decode()
    article = re.search(r'<article class="note-detail"[^>]*>', html).group(0)
    assert f'data-css="--frame-ratio: {ratio}"' in article


def test_note_text_carries_its_language_for_the_font_stack(client):
    note = NoteFactory(title="Brisket for new friends", language="en")
    html = client.get(note.get_absolute_url()).content.decode()
    assert 'data-testid="note-title" lang="en">Brisket for new friends</h1>' in html
    grid = client.get("/").content.decode()
    assert 'lang="en">Brisket for new friends</a>' in grid
