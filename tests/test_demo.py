"""The demo registry: sections from every app, run in order, in one transaction."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command

from accounts.models import User
from rednote import demo
from rednote.demo import DemoContext, SectionResult, demo_sections, register


@pytest.fixture
def sections(monkeypatch):
    """The registry as the apps filled it, restored after the test."""
    demo_sections()
    monkeypatch.setattr(demo, "_sections", dict(demo._sections))
    return demo._sections


def test_demo_sections_every_app_registers_its_own_in_load_order():
    names = [section.name for section in demo_sections()]

    assert names == [
        "users",
        "follows",
        "notes",
        "likes",
        "boards",
        "comments",
        "translations",
        "hashtag_groups",
        "glossary",
        "reading_demo",
        "discover_ranks",
        "moderation",
        "admin",
    ]
    assert [s.load.__module__ for s in demo_sections()] == [
        "accounts.demo",
        "accounts.demo",
        "notes.demo",
        "notes.demo",
        "notes.demo",
        "notes.demo",
        "translations.demo",
        "notes.demo",
        "translations.demo",
        "notes.demo",
        "feeds.demo",
        "moderation.demo",
        "accounts.demo",
    ]


def test_register_refuses_a_second_section_of_the_same_name(sections):
    with pytest.raises(ImproperlyConfigured, match="'users'"):
        register("users", order=5, load=lambda context: SectionResult())


def test_register_same_section_again_is_harmless(sections):
    users = sections["users"]

    register("users", order=users.order, load=users.load)

    assert [s.name for s in demo_sections()].count("users") == 1


@pytest.mark.django_db
def test_seed_demo_runs_a_registered_section_in_its_order_with_the_shared_context(
    sections, tmp_path
):
    seen = []

    def greetings_load(context: DemoContext) -> SectionResult:
        # Runs after follows, so the users are loaded and shared.
        seen.append(sorted(context.loaded["users"]))
        context.messages.append("Greetings loaded.")
        return SectionResult(total=len(context.data["greetings"]), created=1)

    register("greetings", order=25, load=greetings_load)
    data = {"users": [], "follows": [], "greetings": ["hi", "你好"]}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    out = StringIO()

    call_command("seed_demo", "--file", str(path), stdout=out)

    assert seen == [[]]
    output = out.getvalue()
    assert "0 follows (0 new), 2 greetings (1 new), 0 notes (0 new)" in output
    assert "Greetings loaded." in output


@pytest.mark.django_db
def test_seed_demo_a_failing_later_section_stores_nothing(sections):
    def broken_load(context: DemoContext) -> SectionResult:
        raise ValidationError({"broken": ["This section cannot load."]})

    register("broken", order=999, load=broken_load)

    with pytest.raises(CommandError, match="This section cannot load"):
        call_command("seed_demo", "--notes", "0", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_moderation_section_gives_the_desk_something_to_show(
    django_capture_on_commit_callbacks,
):
    """Two readers' reports of one Chinese comment (grouped on the desk), two keyword rules,
    and with --admin a moderator in the Moderator group; seeding again adds nothing."""
    from django.core.management import call_command

    from moderation.models import KeywordRule, Report
    from notes.models import Comment

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--admin", "--notes", "4", stdout=StringIO())
    reports = Report.objects.all()
    assert reports.count() == 2 and {r.target_id for r in reports} == {
        Comment.objects.get(body__startswith="来成都！").pk
    }
    assert set(KeywordRule.objects.values_list("term", "action")) == {
        ("buy followers", "refuse"),
        ("代购", "hold"),
    }
    moderator = User.objects.get(handle="moderator")
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.has_perm("moderation.change_report")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--admin", "--notes", "4", stdout=StringIO())
    assert Report.objects.count() == 2 and KeywordRule.objects.count() == 2
