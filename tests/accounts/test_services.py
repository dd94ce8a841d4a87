import io
import threading

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from PIL import ExifTags, Image

from accounts.models import Block, Follow, Mute, User
from accounts.services import (
    avatar_clear,
    avatar_set,
    block_create,
    block_delete,
    email_validate,
    follow_create,
    follow_delete,
    handle_validate,
    mute_create,
    mute_delete,
    profile_update,
    ui_language_set,
    user_create,
    user_suspend,
    user_unsuspend,
)
from tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL): SQLite serialises writers, so there is no race",
)

STRONG_PASSWORD = "plum-blossom-river-42"


@pytest.fixture
def sent(captured_events):
    """Every domain event sent, as (name, payload) in order (tests/fixtures/events.py)."""
    return captured_events.sent


def jpeg_with_gps(size=(800, 600)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 13.0, 50.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 28.0, 20.0),
    }
    out = io.BytesIO()
    Image.new("RGB", size, "#ff2442").save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def run_at_once(count: int, work) -> list[BaseException]:
    """Run work(i) in `count` threads released together; return the exceptions raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def thread_main(i):
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# --- handle_validate / email_validate -----------------------------------------------------


def test_handle_validate_strips_at_sign_and_spaces():
    assert handle_validate("  @mei_between ") == "mei_between"


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("", "Choose a handle."),
        ("@", "Choose a handle."),
        ("a", "2 to 30"),
        ("x" * 31, "2 to 30"),
        ("has space", "letters, digits and underscores"),
        ("dot.name", "letters, digits and underscores"),
        ("小红书", "letters, digits and underscores"),
        ("Admin", "reserved"),
        ("SETTINGS", "reserved"),
    ],
)
def test_handle_validate_refuses_unusable_handles(handle, message):
    with pytest.raises(ValidationError) as caught:
        handle_validate(handle)

    assert list(caught.value.message_dict) == ["handle"]
    assert message in caught.value.message_dict["handle"][0]


def test_handle_validate_taken_in_any_case(user):
    for variant in ("alice", "ALICE", "aLiCe"):
        with pytest.raises(ValidationError, match="already taken"):
            handle_validate(variant)


def test_handle_validate_allows_own_handle_when_excluded(user):
    assert handle_validate("ALICE", exclude_user_id=user.pk) == "ALICE"


def test_email_validate_refuses_invalid_address():
    with pytest.raises(ValidationError) as caught:
        email_validate("not-an-address")

    assert list(caught.value.message_dict) == ["email"]


def test_email_validate_taken_in_any_case(user):
    with pytest.raises(ValidationError, match="already exists"):
        email_validate("ALICE@example.com")


def test_email_validate_taken_by_a_user_without_address_row(db):
    UserFactory(handle="carol", email="carol@example.com", verified_email=False)
    EmailAddress.objects.filter(email="carol@example.com").delete()

    with pytest.raises(ValidationError, match="already exists"):
        email_validate("Carol@Example.com")


def test_email_validate_allows_own_address_when_excluded(user):
    assert email_validate(" alice@example.com ", exclude_user_id=user.pk) == "alice@example.com"


# --- user_create --------------------------------------------------------------------------


def test_user_create_stores_user_with_unverified_primary_address():
    user = user_create(
        handle="@Mei_Between",
        email="mei@example.com",
        password=STRONG_PASSWORD,
        display_name="Mei 梅",
        languages=["en", "zh-Hans"],
        read_languages=["zh-Hans"],
        region="California",
    )

    user.refresh_from_db()
    assert user.handle == "Mei_Between"
    assert user.display_name == "Mei 梅"
    assert user.languages == ["en", "zh-Hans"]
    assert user.read_languages == ["zh-Hans"]
    assert user.region == "California"
    assert user.check_password(STRONG_PASSWORD)
    assert user.password != STRONG_PASSWORD
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("mei@example.com", True, False)


def test_user_create_can_mark_address_verified():
    user = user_create(
        handle="sam", email="sam@example.com", password=STRONG_PASSWORD, email_verified=True
    )

    assert EmailAddress.objects.get(user=user).verified


def test_user_create_reports_every_bad_field_at_once():
    with pytest.raises(ValidationError) as caught:
        user_create(handle="no way", email="nope", password="123")

    assert set(caught.value.message_dict) == {"handle", "email", "password"}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174650", "entirely numeric"),
        ("sammy_sunshine", "too similar"),
    ],
)
def test_user_create_refuses_weak_password(password, message):
    with pytest.raises(ValidationError) as caught:
        user_create(handle="sammy_sunshine", email="sam@example.com", password=password)

    assert list(caught.value.message_dict) == ["password"]
    assert any(message in text for text in caught.value.message_dict["password"])
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


def test_user_create_taken_handle_in_other_case_stores_nothing(user):
    with pytest.raises(ValidationError) as caught:
        user_create(handle="ALICE", email="other@example.com", password=STRONG_PASSWORD)

    assert list(caught.value.message_dict) == ["handle"]
    assert User.objects.count() == 1
    assert not EmailAddress.objects.filter(email="other@example.com").exists()


def test_user_create_taken_email_in_other_case_stores_nothing(user):
    with pytest.raises(ValidationError) as caught:
        user_create(handle="alice2", email="Alice@Example.COM", password=STRONG_PASSWORD)

    assert list(caught.value.message_dict) == ["email"]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("languages", ["klingon"]), ("read_languages", ["en", "en"]), ("avatar_color", "red")],
)
def test_user_create_invalid_profile_field_names_it(field, value):
    with pytest.raises(ValidationError) as caught:
        user_create(
            handle="sam", email="sam@example.com", password=STRONG_PASSWORD, **{field: value}
        )

    assert field in caught.value.message_dict
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


def test_user_handle_unique_in_any_case_in_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(handle="ALICE", email="another@example.com")


def test_follow_not_self_enforced_in_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=user, followee=user)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_user_create_concurrent_same_handle_makes_one_account():
    handles = ["racer", "RACER", "Racer", "rAcEr", "raceR", "RACer", "racER", "RaCeR"]
    outcomes: list[str] = []

    def sign_up(i):
        try:
            user_create(handle=handles[i], email=f"racer{i}@example.com", password=STRONG_PASSWORD)
            outcomes.append("created")
        except ValidationError as exc:
            assert list(exc.message_dict) == ["handle"]
            outcomes.append("refused")

    errors = run_at_once(len(handles), sign_up)

    assert errors == []
    assert sorted(outcomes) == ["created"] + ["refused"] * (len(handles) - 1)
    assert User.objects.filter(handle__iexact="racer").count() == 1
    assert EmailAddress.objects.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_profile_update_concurrent_rename_to_same_handle_keeps_one():
    people = [UserFactory(handle=f"person{i}") for i in range(8)]
    wanted = ["taken", "TAKEN", "Taken", "tAKEN", "takeN", "TAken", "taKEN", "TaKeN"]
    outcomes: list[str] = []

    def rename(i):
        try:
            profile_update(user=people[i], handle=wanted[i])
            outcomes.append("renamed")
        except ValidationError as exc:
            assert list(exc.message_dict) == ["handle"]
            outcomes.append("refused")

    errors = run_at_once(len(people), rename)

    assert errors == []
    assert sorted(outcomes) == ["refused"] * (len(people) - 1) + ["renamed"]
    assert User.objects.filter(handle__iexact="taken").count() == 1


# --- profile_update / ui_language_set -----------------------------------------------------


def test_profile_update_changes_fields_and_strips_text(user):
    profile_update(
        user=user,
        display_name="  Alice 爱丽丝 ",
        bio=" Loves dumplings. ",
        languages=["en", "zh-Hans"],
        read_languages=["zh-Hans"],
        ui_language="zh-hans",
    )

    user.refresh_from_db()
    assert user.display_name == "Alice 爱丽丝"
    assert user.bio == "Loves dumplings."
    assert user.languages == ["en", "zh-Hans"]
    assert user.read_languages == ["zh-Hans"]
    assert user.ui_language == "zh-hans"


def test_profile_update_can_change_case_of_own_handle(user):
    profile_update(user=user, handle="Alice")

    user.refresh_from_db()
    assert user.handle == "Alice"


def test_profile_update_refuses_handle_taken_in_other_case(user, other_user):
    with pytest.raises(ValidationError) as caught:
        profile_update(user=user, handle="BOB")

    assert list(caught.value.message_dict) == ["handle"]
    user.refresh_from_db()
    assert user.handle == "alice"


def test_profile_update_refuses_unknown_fields(user):
    with pytest.raises(ValidationError) as caught:
        profile_update(user=user, is_staff=True, display_name="Boss")

    assert list(caught.value.message_dict) == ["is_staff"]
    user.refresh_from_db()
    assert not user.is_staff
    assert user.display_name == "Alice"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", ["fr"]),
        ("read_languages", "en"),
        ("display_name", "x" * 51),
        ("bio", "x" * 501),
        ("ui_language", "fr"),
    ],
)
def test_profile_update_invalid_value_names_field_and_stores_nothing(user, field, value):
    before = User.objects.values().get(pk=user.pk)

    with pytest.raises(ValidationError) as caught:
        profile_update(user=user, **{field: value})

    assert field in caught.value.message_dict
    assert User.objects.values().get(pk=user.pk) == before


def test_ui_language_set_saves_known_language_or_blank(user):
    ui_language_set(user=user, language="zh-hans")
    user.refresh_from_db()
    assert user.ui_language == "zh-hans"

    ui_language_set(user=user, language="")
    user.refresh_from_db()
    assert user.ui_language == ""


def test_ui_language_set_refuses_unknown_language(user):
    with pytest.raises(ValidationError) as caught:
        ui_language_set(user=user, language="klingon")

    assert list(caught.value.message_dict) == ["ui_language"]
    user.refresh_from_db()
    assert user.ui_language == ""


# --- avatars ------------------------------------------------------------------------------


def test_avatar_set_reencodes_without_exif_or_gps(user):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as probe:  # the test photo really carries GPS
        assert probe.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    avatar_set(user=user, file=upload(original))

    user.refresh_from_db()
    with user.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "WEBP"
        assert image.size == (400, 400)
        assert "exif" not in image.info
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    with user.avatar.open("rb") as stored:
        data = stored.read()
    assert b"Exif" not in data
    assert b"PhoneCam" not in data


def test_avatar_set_refuses_non_image_and_stores_nothing(user):
    with pytest.raises(ValidationError) as caught:
        avatar_set(user=user, file=upload(b"%PDF-1.7 not a picture", name="cv.jpg"))

    assert list(caught.value.message_dict) == ["avatar"]
    user.refresh_from_db()
    assert not user.avatar
    assert not (settings.MEDIA_ROOT / "avatars").exists()


def test_avatar_set_refuses_file_over_the_limit(user, settings):
    settings.AVATAR_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        avatar_set(user=user, file=upload(jpeg_with_gps((1200, 1200))))

    assert "avatar" in caught.value.message_dict
    user.refresh_from_db()
    assert not user.avatar


def test_avatar_set_replacing_removes_old_file_after_commit(
    user, django_capture_on_commit_callbacks
):
    avatar_set(user=user, file=upload(jpeg_with_gps()))
    old = user.avatar.name
    storage = user.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        png = io.BytesIO()
        Image.new("RGBA", (300, 500), (0, 128, 255, 128)).save(png, "PNG")
        avatar_set(user=user, file=upload(png.getvalue(), "a.png", "image/png"))
        assert storage.exists(old)  # still there until the new avatar is committed

    assert user.avatar.name != old
    assert not storage.exists(old)
    assert storage.exists(user.avatar.name)


def test_avatar_clear_removes_file_after_commit(user, django_capture_on_commit_callbacks):
    avatar_set(user=user, file=upload(jpeg_with_gps()))
    name = user.avatar.name
    storage = user.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        avatar_clear(user=user)

    user.refresh_from_db()
    assert not user.avatar
    assert not storage.exists(name)


# --- follows ------------------------------------------------------------------------------


def test_follow_create_follows_and_sends_event_after_commit(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow = follow_create(follower=user, followee=other_user)
        assert sent == []

    assert (follow.follower, follow.followee) == (user, other_user)
    assert sent == [
        (
            "follow_changed",
            {"follower_id": user.pk, "followee_id": other_user.pk, "following": True},
        )
    ]


def test_follow_create_twice_is_one_follow_and_one_event(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = follow_create(follower=user, followee=other_user)
        second = follow_create(follower=user, followee=other_user)

    assert first.pk == second.pk
    assert Follow.objects.count() == 1
    assert len(sent) == 1


def test_follow_create_rolled_back_sends_nothing(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            follow_create(follower=user, followee=other_user)
            raise RuntimeError("the request failed later")

    assert callbacks == []
    assert sent == []
    assert not Follow.objects.exists()


def test_follow_create_refuses_self_follow(user, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError) as caught:
            follow_create(follower=user, followee=user)

    assert list(caught.value.message_dict) == ["followee"]
    assert not Follow.objects.exists()
    assert sent == []


@pytest.mark.parametrize("who_blocks", ["follower", "followee"])
def test_follow_create_refused_under_block_either_way(user, other_user, who_blocks):
    if who_blocks == "follower":
        Block.objects.create(blocker=user, blocked=other_user)
    else:
        Block.objects.create(blocker=other_user, blocked=user)

    with pytest.raises(ValidationError) as caught:
        follow_create(follower=user, followee=other_user)

    assert list(caught.value.message_dict) == ["followee"]
    assert not Follow.objects.exists()


def test_follow_delete_unfollows_and_sends_event(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    FollowFactory(follower=user, followee=other_user)

    with django_capture_on_commit_callbacks(execute=True):
        assert follow_delete(follower=user, followee=other_user) is True

    assert not Follow.objects.exists()
    assert sent == [
        (
            "follow_changed",
            {"follower_id": user.pk, "followee_id": other_user.pk, "following": False},
        )
    ]


def test_follow_delete_without_follow_is_quiet(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_delete(follower=user, followee=other_user) is False

    assert sent == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_follow_create_concurrent_followers_each_get_one_row(sent):
    star = UserFactory(handle="star")
    fans = [UserFactory(handle=f"fan{i}") for i in range(20)]

    errors = run_at_once(20, lambda i: follow_create(follower=fans[i], followee=star))

    assert errors == []
    assert Follow.objects.filter(followee=star).count() == 20
    assert set(Follow.objects.values_list("follower_id", flat=True)) == {f.pk for f in fans}
    assert len(sent) == 20


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_follow_create_concurrent_same_pair_makes_one_row(sent):
    star = UserFactory(handle="star")
    fan = UserFactory(handle="fan")

    errors = run_at_once(20, lambda i: follow_create(follower=fan, followee=star))

    assert errors == []
    assert Follow.objects.filter(follower=fan, followee=star).count() == 1
    assert len(sent) == 1


# --- blocks and mutes ---------------------------------------------------------------------


def test_block_create_removes_follows_both_ways_and_sends_events(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=other_user, followee=user)

    with django_capture_on_commit_callbacks(execute=True):
        block_create(blocker=user, blocked=other_user)
        assert sent == []

    assert not Follow.objects.exists()
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()
    assert sorted(sent, key=lambda event: event[0]) == [
        (
            "follow_changed",
            {"follower_id": user.pk, "followee_id": other_user.pk, "following": False},
        ),
        (
            "follow_changed",
            {"follower_id": other_user.pk, "followee_id": user.pk, "following": False},
        ),
        ("user_blocked", {"blocker_id": user.pk, "blocked_id": other_user.pk}),
    ]


def test_block_create_leaves_other_follows_alone(user, other_user):
    carol = UserFactory(handle="carol")
    FollowFactory(follower=user, followee=carol)
    FollowFactory(follower=carol, followee=other_user)

    block_create(blocker=user, blocked=other_user)

    assert Follow.objects.count() == 2


def test_block_create_twice_is_one_block_and_one_event(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = block_create(blocker=user, blocked=other_user)
        second = block_create(blocker=user, blocked=other_user)

    assert first.pk == second.pk
    assert Block.objects.count() == 1
    assert [name for name, _payload in sent] == ["user_blocked"]


def test_block_create_refuses_self_block(user):
    with pytest.raises(ValidationError) as caught:
        block_create(blocker=user, blocked=user)

    assert list(caught.value.message_dict) == ["blocked"]
    assert not Block.objects.exists()


def test_block_create_rolled_back_keeps_follows_and_sends_nothing(
    user, other_user, sent, django_capture_on_commit_callbacks
):
    FollowFactory(follower=user, followee=other_user)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            block_create(blocker=user, blocked=other_user)
            raise RuntimeError("the request failed later")

    assert sent == []
    assert not Block.objects.exists()
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_block_delete_unblocks_and_allows_following_again(user, other_user):
    block_create(blocker=user, blocked=other_user)

    assert block_delete(blocker=user, blocked=other_user) is True
    assert block_delete(blocker=user, blocked=other_user) is False

    follow_create(follower=other_user, followee=user)
    assert Follow.objects.filter(follower=other_user, followee=user).exists()


def test_mute_create_is_idempotent_and_keeps_follows(user, other_user):
    FollowFactory(follower=user, followee=other_user)

    first = mute_create(muter=user, muted=other_user)
    second = mute_create(muter=user, muted=other_user)

    assert first.pk == second.pk
    assert Mute.objects.count() == 1
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_mute_create_refuses_self_mute(user):
    with pytest.raises(ValidationError) as caught:
        mute_create(muter=user, muted=user)

    assert list(caught.value.message_dict) == ["muted"]
    assert not Mute.objects.exists()


def test_mute_delete_unmutes(user, other_user):
    mute_create(muter=user, muted=other_user)

    assert mute_delete(muter=user, muted=other_user) is True
    assert mute_delete(muter=user, muted=other_user) is False
    assert not Mute.objects.exists()


# --- suspension ---------------------------------------------------------------------------


def test_user_suspend_deactivates_once_and_sends_event_after_commit(
    user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(user=user)
        user_suspend(user=user)
        assert sent == []

    user.refresh_from_db()
    assert not user.is_active
    assert sent == [("user_suspended", {"user_id": user.pk})]


def test_user_suspend_rolled_back_sends_nothing(user, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            user_suspend(user=user)
            raise RuntimeError("the request failed later")

    user.refresh_from_db()
    assert user.is_active
    assert sent == []


def test_user_unsuspend_reactivates_once_and_sends_event_after_commit(
    user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_unsuspend(user=user)  # active already: nothing to lift
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(user=user)
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        user_unsuspend(user=user)
        user_unsuspend(user=user)
        assert sent == []

    user.refresh_from_db()
    assert user.is_active
    assert sent == [("user_unsuspended", {"user_id": user.pk})]


def test_user_unsuspend_rolled_back_sends_nothing(user, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(user=user)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            user_unsuspend(user=user)
            raise RuntimeError("the request failed later")

    user.refresh_from_db()
    assert not user.is_active
    assert sent == []
