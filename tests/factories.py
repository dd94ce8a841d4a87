import functools
import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Block, Follow, Mute, User
from notes.models import Board, ImageStatus, Note, NoteImage, NoteStatus, Visibility

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    handle = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.handle.lower()}@example.com")
    display_name = factory.Faker("name")
    languages = factory.LazyFunction(lambda: ["en"])
    read_languages = factory.LazyFunction(lambda: ["en"])
    # Seen just now, like anyone signed in: their requests write no activity (at most hourly,
    # `accounts.services.user_seen`) and home feeds push to them.
    last_active_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and self.email:
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"primary": True, "verified": extracted is not False},
            )


class FollowFactory(DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)


class BlockFactory(DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class MuteFactory(DjangoModelFactory):
    class Meta:
        model = Mute

    muter = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)


# --- Notes ---------------------------------------------------------------------------------
# Photos are tiny real files (a JPEG original, WebP renditions), drawn once per test process:
# a factory note never runs the image pipeline, yet its renditions can be served and opened.

SAMPLE_SIZE = (96, 128)  # the original's and display rendition's size; the grid is half


@functools.cache
def sample_photo(kind: str) -> bytes:
    """`kind` is "original" (JPEG), "display" or "grid" (WebP, no metadata)."""
    from PIL import Image, ImageOps

    size = SAMPLE_SIZE if kind != "grid" else (SAMPLE_SIZE[0] // 2, SAMPLE_SIZE[1] // 2)
    image = ImageOps.colorize(Image.linear_gradient("L").resize(size), "#f2c6a0", "#3b6e8f")
    out = io.BytesIO()
    image.save(out, "JPEG" if kind == "original" else "WEBP", quality=80)
    return out.getvalue()


def _sample_file(kind: str) -> ContentFile:
    extension = "jpg" if kind == "original" else "webp"
    return ContentFile(sample_photo(kind), name=f"factory/{kind}.{extension}")


class NoteImageFactory(DjangoModelFactory):
    """A processed photo. `pending=True`: as just uploaded (no renditions yet); with no `note`
    it is an upload waiting for `note_create`, and its original is a real JPEG the pipeline
    can process."""

    class Meta:
        model = NoteImage

    class Params:
        pending = factory.Trait(
            display="",
            grid="",
            width=None,
            height=None,
            grid_width=None,
            grid_height=None,
            placeholder_color="",
            status=ImageStatus.PENDING,
            processed_at=None,
        )

    owner = factory.SubFactory(UserFactory)
    note = None
    position = 0
    alt_text = ""
    original = factory.LazyFunction(lambda: _sample_file("original"))
    original_format = "JPEG"
    original_width = SAMPLE_SIZE[0]
    original_height = SAMPLE_SIZE[1]
    original_size = factory.LazyFunction(lambda: len(sample_photo("original")))
    display = factory.LazyFunction(lambda: _sample_file("display"))
    grid = factory.LazyFunction(lambda: _sample_file("grid"))
    width = SAMPLE_SIZE[0]
    height = SAMPLE_SIZE[1]
    grid_width = SAMPLE_SIZE[0] // 2
    grid_height = SAMPLE_SIZE[1] // 2
    placeholder_color = "#8aa0c0"
    status = ImageStatus.READY
    processed_at = factory.LazyFunction(timezone.now)


class NoteFactory(DjangoModelFactory):
    """A published public note with one processed photo: `NoteFactory(images=3)` for three.
    `processing=True`: just posted, its photos pending. The text is stored as given — hashtags
    and mentions are parsed only by `notes.services.note_create` / `note_update`."""

    class Meta:
        model = Note
        skip_postgeneration_save = True

    class Params:
        processing = factory.Trait(status=NoteStatus.PROCESSING, published_at=None)

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "A quiet afternoon by the river."
    visibility = Visibility.PUBLIC
    status = NoteStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        if not create:
            return
        pending = self.status != NoteStatus.PUBLISHED
        for position in range(1 if extracted is None else extracted):
            NoteImageFactory(
                owner=self.author, note=self, position=position, pending=pending, **kwargs
            )


class BoardFactory(DjangoModelFactory):
    class Meta:
        model = Board

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    is_private = False
