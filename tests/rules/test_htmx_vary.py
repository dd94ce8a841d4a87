"""One address, two bodies: every grid answers htmx "load more" (`HX-Request` with a cursor)
with the bare cards or rows and anyone else with the whole page, so both answers say
`Vary: HX-Request` — else a cache (the browser's, on Back) serves one in place of the other."""

import pytest
from django.utils import timezone
from django.utils.cache import has_vary_header

from accounts.models import User
from rednote.cursors import cursor_encode, datetime_score
from tests.factories import NoteFactory, UserFactory
from tests.feeds.test_search import indexed

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# A position before every note, a time or a number (a forged cursor only moves the position).
POSITION = cursor_encode(datetime_score(timezone.now()) + 10**12, 10**12)


@pytest.fixture
def pages(user):
    liker = UserFactory(handle="liker")
    User.objects.filter(pk=liker.pk).update(likes_public=True)
    note = indexed(title="citywalk", tags=["citywalk"])
    NoteFactory()
    return [
        ("/", f"~.{cursor_encode(2**62, 10**12)}"),
        ("/following/", POSITION),
        ("/tags/citywalk/", POSITION),
        ("/tags/citywalk/?tab=top", POSITION),
        ("/search/?q=citywalk", POSITION),
        ("/search/?q=liker&type=users", POSITION),
        ("/search/?q=city&type=tags", POSITION),
        (f"/@{note.author.handle}/", POSITION),
        ("/@liker/liked/", POSITION),
        ("/notifications/", POSITION),
    ]


def test_grids_vary_on_hx_request(client, user, pages):
    client.force_login(user)
    for path, cursor in pages:
        joiner = "&" if "?" in path else "?"
        full = client.get(path)
        more = client.get(f"{path}{joiner}cursor={cursor}", **HTMX)
        assert full.status_code == more.status_code == 200, path
        assert b"<html" in full.content and b"<html" not in more.content, path
        assert has_vary_header(full, "HX-Request"), path
        assert has_vary_header(more, "HX-Request"), path
