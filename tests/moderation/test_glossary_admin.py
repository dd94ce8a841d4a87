"""The slang glossary in admin: the Moderator group reviews readers' suggestions (one or in
bulk, audited), adds, edits and deletes terms through the glossary's services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from moderation.models import AuditLogEntry, ModerationAction
from moderation.permissions import MODERATOR_GROUP
from tests.factories import UserFactory
from tests.translations.glossary_fixtures import FIELDS, glossary_term
from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import reading_annotate

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:translations_glossaryterm_changelist")
ADD = reverse("admin:translations_glossaryterm_add")
XSS = "<script>alert(1)</script>"


def change_url(entry: GlossaryTerm) -> str:
    return reverse("admin:translations_glossaryterm_change", args=[entry.pk])


@pytest.fixture
def glossary_moderator(db):
    """A staff member in the Moderator group only (not a superuser)."""
    person = UserFactory(handle="glossmod", is_staff=True)
    person.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    return person


@pytest.fixture
def admin_client(glossary_moderator) -> Client:
    client = Client()
    client.force_login(glossary_moderator)
    return client


def suggested(term: str, **overrides) -> GlossaryTerm:
    reader = UserFactory()
    fields = {"variants": [], "pinyin": "", "language": "en", "explanation_zh": "", **overrides}
    entry = glossary_term(status=GlossaryStatus.SUGGESTED, term=term, **fields)
    entry.suggested_by = reader
    entry.save()
    return entry


def form_data(entry: GlossaryTerm | None = None, **overrides) -> dict:
    source = {name: getattr(entry, name) for name in FIELDS} if entry else dict(FIELDS)
    data = {**source, **overrides}
    if isinstance(data["variants"], list):
        data["variants"] = ", ".join(data["variants"])
    return data


def slang_ids(text: str, language: str) -> set[int]:
    return {s.slang_id for s in reading_annotate(text, language).segments if s.slang_id}


def test_list_opens_on_suggestions_waiting(admin_client, django_assert_max_num_queries):
    glossary_term()  # approved
    waiting = [suggested(f"term{n}") for n in range(5)]
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == waiting  # the longest waiting first; the approved one is filtered out
    everything = admin_client.get(CHANGELIST, {"status": "all"}).context["cl"].result_list
    assert len(everything) == 6
    only_zh = admin_client.get(CHANGELIST, {"status": "all", "language": "zh-Hans"})
    assert [e.term for e in only_zh.context["cl"].result_list] == ["yyds"]
    found = admin_client.get(CHANGELIST, {"status": "all", "q": "永遠"})
    assert [e.term for e in found.context["cl"].result_list] == ["yyds"]


def test_non_staff_are_sent_to_log_in(user):
    client = Client()
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "login" in response["Location"]
    visitor = Client().get(CHANGELIST)
    assert visitor.status_code == 302


def test_staff_without_glossary_permission_cannot_decide():
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    entry = suggested("rizz", explanation_zh="魅力。")
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "approve", "confirm": "yes", ACTION_CHECKBOX_NAME: [entry.pk]}
    )
    assert response.status_code == 403
    assert GlossaryTerm.objects.get(pk=entry.pk).status == GlossaryStatus.SUGGESTED


def test_approve_one_from_its_page_with_edits(admin_client, glossary_moderator):
    entry = suggested("rizz")  # no Chinese explanation yet
    page = admin_client.get(change_url(entry))
    assert 'data-testid="glossary-approve"' in page.content.decode()
    # Approving needs both explanations: the form says so and nothing changes.
    response = admin_client.post(change_url(entry), {**form_data(entry), "_approve": "1"})
    assert response.status_code == 200
    assert "explanation_zh" in response.context["adminform"].form.errors
    assert GlossaryTerm.objects.get(pk=entry.pk).status == GlossaryStatus.SUGGESTED
    response = admin_client.post(
        change_url(entry),
        {**form_data(entry, explanation_zh="魅力，撩人的本事。"), "_approve": "1"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == GlossaryStatus.APPROVED
    assert entry.explanation_zh == "魅力，撩人的本事。"
    assert entry.reviewed_by == glossary_moderator
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [ModerationAction.GLOSSARY_EDIT, ModerationAction.GLOSSARY_APPROVE]


def test_reject_one_from_its_page(admin_client, glossary_moderator):
    entry = suggested("rizz")
    response = admin_client.post(change_url(entry), {"_reject": "1", "reason": "Not slang"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == GlossaryStatus.REJECTED
    log = AuditLogEntry.objects.get()
    assert log.action == ModerationAction.GLOSSARY_REJECT
    assert log.moderator == glossary_moderator and log.target_owner == entry.suggested_by


def test_bulk_approve_confirms_then_approves_and_audits_each(admin_client):
    ready = [suggested(f"term{n}", explanation_zh="解释。") for n in range(2)]
    unready = suggested("half")  # English explanation only
    ids = [e.pk for e in [*ready, unready]]
    confirm = admin_client.post(CHANGELIST, {"action": "approve", ACTION_CHECKBOX_NAME: ids})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert 'data-testid="glossary-decide-form"' in page and "edit it first" in page
    assert not AuditLogEntry.objects.exists()  # nothing decided yet
    done = admin_client.post(
        CHANGELIST,
        {"action": "approve", "confirm": "yes", ACTION_CHECKBOX_NAME: ids},
        follow=True,
    )
    assert "Approved 2 terms." in done.content.decode()
    # Why one was left (admin capitalises its messages).
    assert "half: explain the term in chinese" in done.content.decode().lower()
    statuses = dict(GlossaryTerm.objects.values_list("term", "status"))
    assert statuses == {"term0": "approved", "term1": "approved", "half": "suggested"}
    assert AuditLogEntry.objects.filter(action=ModerationAction.GLOSSARY_APPROVE).count() == 2
    assert slang_ids("Honestly term1 is great", "en") == {ready[1].pk}


def test_bulk_reject_with_a_reason(admin_client):
    entries = [suggested(f"term{n}") for n in range(3)]
    ids = [e.pk for e in entries]
    response = admin_client.post(
        CHANGELIST,
        {"action": "reject", "confirm": "yes", "reason": "Duplicates", ACTION_CHECKBOX_NAME: ids},
    )
    assert response.status_code == 302
    assert set(GlossaryTerm.objects.values_list("status", flat=True)) == {"rejected"}
    reasons = set(AuditLogEntry.objects.values_list("action", "reason"))
    assert reasons == {(ModerationAction.GLOSSARY_REJECT, "Duplicates")}


def test_add_edit_and_delete_go_through_the_services(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, form_data(variants="永远的神， 永遠的神"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = GlossaryTerm.objects.get()
    assert entry.status == GlossaryStatus.APPROVED and entry.variants == ["永远的神", "永遠的神"]
    assert slang_ids("这家店yyds", "zh-Hans") == {entry.pk}
    # A duplicate is refused on its field.
    again = admin_client.post(ADD, form_data(term="YYDS", variants=""))
    assert again.status_code == 200
    assert "already in the glossary" in again.context["adminform"].form.errors["term"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(entry), form_data(entry, term="yyds!"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.term == "yyds!"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:translations_glossaryterm_delete", args=[entry.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()
    assert slang_ids("这家店yyds!", "zh-Hans") == set()
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        ModerationAction.GLOSSARY_ADD,
        ModerationAction.GLOSSARY_EDIT,
        ModerationAction.GLOSSARY_DELETE,
    ]


def test_bulk_delete_goes_through_the_service(admin_client):
    entries = [glossary_term(term=f"t{n}", variants=[]) for n in range(2)]
    response = admin_client.post(
        f"{CHANGELIST}?status=all",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [e.pk for e in entries]},
    )
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()
    assert AuditLogEntry.objects.filter(action=ModerationAction.GLOSSARY_DELETE).count() == 2


def test_admin_escapes_what_readers_wrote(admin_client):
    entry = suggested(XSS[:40], explanation_en=XSS)
    listing = admin_client.get(CHANGELIST).content.decode()
    page = admin_client.get(change_url(entry)).content.decode()
    confirm = admin_client.post(
        CHANGELIST, {"action": "approve", ACTION_CHECKBOX_NAME: [entry.pk]}
    ).content.decode()
    for html in (listing, page, confirm):
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;" in html
