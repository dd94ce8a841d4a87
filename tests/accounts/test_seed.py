import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.demo import ADMIN_PASSWORD, DEMO_PASSWORD
from accounts.models import Follow, User
from rednote.demo import SEED_FILE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))
SEED_FILE_PAIR = [SEED["users"][0]["handle"], SEED["users"][1]["handle"]]


def seed(*args) -> str:
    out = StringIO()
    # Users and follows only: the notes sections process photos, and are tested in
    # tests/notes/test_demo.py.
    call_command("seed_demo", "--notes", "0", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_seed_file(tmp_path):
    """Two users and a follow, for the tests about options rather than content."""
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": SEED["users"][:2], "follows": [SEED_FILE_PAIR]}))
    return path


def test_seed_demo_loads_the_users_and_follows_of_the_seed_file():
    output = seed()

    assert "28 users (28 new), 150 follows (150 new)" in output
    rows = {row["handle"]: row for row in SEED["users"]}
    users = list(User.objects.all())
    assert sorted(user.handle for user in users) == sorted(rows)
    for user in users:
        row = rows[user.handle]
        assert user.display_name == row["display_name"]
        assert user.bio == row["bio"]
        assert user.region == row["region"]
        assert user.languages == row["languages"]
        assert user.read_languages == row["reads"]
        assert user.avatar_color == row["avatar_color"]
        assert user.email == f"{user.handle}@demo.rednote.localhost"
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_staff
        address = EmailAddress.objects.get(user=user)
        assert address.verified and address.primary
    stored = set(Follow.objects.values_list("follower__handle", "followee__handle"))
    assert stored == {tuple(pair) for pair in SEED["follows"]}
    assert len(stored) == 150


def test_seed_demo_ui_language_follows_spoken_languages():
    seed()

    ui = dict(User.objects.values_list("handle", "ui_language"))
    assert ui["chengdu_tangtang"] == "zh-hans"  # speaks only Chinese
    assert ui["mossy_mae"] == "en"  # speaks only English
    assert ui["mei_between"] == ""  # speaks both: follow the browser
    for row in SEED["users"]:
        expected = {("zh-Hans",): "zh-hans", ("en",): "en"}.get(tuple(row["languages"]), "")
        assert ui[row["handle"]] == expected


def test_seed_demo_twice_changes_nothing():
    seed()
    users = set(User.objects.values_list("pk", "handle", "password", "last_login"))
    follows = set(Follow.objects.values_list("pk", "follower_id", "followee_id", "created_at"))

    output = seed()

    assert set(User.objects.values_list("pk", "handle", "password", "last_login")) == users
    assert (
        set(Follow.objects.values_list("pk", "follower_id", "followee_id", "created_at")) == follows
    )
    assert "28 users (0 new), 150 follows (0 new)" in output


def test_seed_demo_leaves_an_existing_user_alone(small_seed_file):
    UserFactory(handle=SEED_FILE_PAIR[0].upper(), display_name="Someone else")

    output = seed("--file", str(small_seed_file))

    assert User.objects.count() == 2
    assert User.objects.by_handle(SEED_FILE_PAIR[0]).get().display_name == "Someone else"
    assert Follow.objects.count() == 1
    assert "2 users (1 new), 1 follows (1 new)" in output


def test_seed_demo_without_debug_creates_no_admin(settings, small_seed_file):
    settings.DEBUG = False

    output = seed("--file", str(small_seed_file))

    assert not User.objects.filter(is_superuser=True).exists()
    assert "Admin" not in output


@pytest.mark.parametrize("how", ["flag", "debug"])
def test_seed_demo_admin_created_with_flag_or_in_debug(settings, small_seed_file, how):
    settings.DEBUG = how == "debug"

    output = seed("--file", str(small_seed_file), *(["--admin"] if how == "flag" else []))

    admin = User.objects.get(handle="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(ADMIN_PASSWORD)
    assert EmailAddress.objects.get(user=admin).verified
    assert "Admin created: admin / 'admin-pass-2025'" in output


def test_seed_demo_admin_is_not_reset_on_second_run(small_seed_file):
    seed("--file", str(small_seed_file), "--admin")
    admin = User.objects.get(handle="admin")
    admin.set_password("changed-by-the-operator")
    admin.save()

    output = seed("--file", str(small_seed_file), "--admin")

    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-operator")
    assert "'admin' already exists" in output
    assert ADMIN_PASSWORD not in output


def test_seed_demo_unreadable_file_is_a_command_error(tmp_path):
    broken = tmp_path / "seed.json"
    broken.write_text("{not json")

    with pytest.raises(CommandError, match="Cannot read"):
        seed("--file", str(broken))
    with pytest.raises(CommandError, match="Cannot read"):
        seed("--file", str(tmp_path / "missing.json"))
    assert not User.objects.exists()


def test_seed_demo_invalid_row_stores_nothing(tmp_path):
    data = {"users": [dict(row) for row in SEED["users"][:3]], "follows": [SEED_FILE_PAIR]}
    data["users"][2]["handle"] = "no spaces allowed"
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="does not load"):
        seed("--file", str(path))
    assert not User.objects.exists()
    assert not Follow.objects.exists()


def test_seed_demo_follow_of_an_unknown_user_stores_nothing(tmp_path):
    data = {"users": SEED["users"][:1], "follows": [[SEED_FILE_PAIR[0], "nobody_here"]]}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="Unknown demo user @nobody_here"):
        seed("--file", str(path))
    assert not User.objects.exists()
