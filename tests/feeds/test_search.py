"""Search selectors (`feeds.search`) and documents (`notes.search`): Chinese-aware full text for
notes, trigram matching for people and tags, the SQLite contains fallback, what is never found,
and hostile queries.

Full-text and trigram tests need PostgreSQL (CI's database); the fallback builders are plain
Django queries and are tested on whichever database runs the suite.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds import search
from notes import services
from notes.models import Hashtag, Note, NoteSearchDocument, Visibility
from notes.search import (
    MAX_QUERY_TERMS,
    note_search_document_update,
    search_terms,
    search_tokens,
)
from tests.factories import (
    BlockFactory,
    FollowFactory,
    MuteFactory,
    NoteFactory,
    NoteImageFactory,
    UserFactory,
)

MIXED_TITLE = "上海周末citywalk路线分享"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text and trigram search need PostgreSQL; the fallback is tested on any database",
)
ANON = AnonymousUser()


def indexed(**fields) -> Note:
    """A published note (factory) with its hashtags and its search document."""
    tags = fields.pop("tags", [])
    note = NoteFactory(**fields)
    for name in tags:
        tag, _ = Hashtag.objects.get_or_create(
            name=name.casefold(), defaults={"display_name": name}
        )
        note.hashtags.add(tag)
    note_search_document_update(note)
    return note


def found(kind: str, query: str, viewer=ANON) -> list:
    listing = search.search_listing(kind=kind, query=query, viewer=viewer)
    return list(listing.queryset.order_by(f"-{listing.key}", "-id"))


def titles(query: str, viewer=ANON) -> list[str]:
    return [note.title for note in found("notes", query, viewer)]


# --- Segmentation (no database) -----------------------------------------------------------


def test_search_tokens_segment_mixed_chinese_and_latin_text():
    tokens = search_tokens(MIXED_TITLE)
    assert {"上海", "周末", "citywalk", "路线", "分享"} <= set(tokens)


def test_search_tokens_fold_latin_and_split_latin_runs():
    tokens = set(search_tokens("Café iPhone15 ＣＩＴＹ"))
    assert {"cafe", "iphone15", "iphone", "15", "city"} <= tokens
    assert "Café" not in tokens and "é" not in tokens


def test_search_tokens_index_each_chinese_character():
    assert {"小猫咪", "猫"} <= set(search_tokens("小猫咪"))


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("上海 citywalk", ["上海", "citywalk"]),
        ("上海周末", ["上海", "周末"]),
        ("CAFÉ", ["cafe"]),
        ("\"'%_\\&|!:*()", []),
        ("' OR 1=1 --", ["or", "1"]),
        ("上海' & '!citywalk:*", ["上海", "citywalk"]),
        ("", []),
    ],
)
def test_search_terms_keep_only_words(query, terms):
    assert search_terms(query) == terms


def test_search_terms_are_capped():
    assert len(search_terms(" ".join(f"w{i}" for i in range(40)))) == MAX_QUERY_TERMS


@given(st.text(max_size=200))
def test_search_terms_of_any_text_are_words(text):
    terms = search_terms(text)
    assert len(terms) <= MAX_QUERY_TERMS
    assert len(set(terms)) == len(terms)
    for term in terms:
        assert term.strip() == term and term
        assert any(c.isalnum() for c in term)


@pytest.mark.parametrize("query", ["x" * 101, "上" * 101])
def test_query_clean_refuses_long_queries_naming_q(query):
    with pytest.raises(ValidationError) as exc_info:
        search.search_query_clean(query)
    assert list(exc_info.value.message_dict) == ["q"]


def test_query_clean_refuses_control_characters_naming_q():
    with pytest.raises(ValidationError) as exc_info:
        search.search_query_clean("caf\x00e")
    assert list(exc_info.value.message_dict) == ["q"]


def test_query_clean_trims_and_collapses_blanks():
    assert search.search_query_clean("  上海 \t citywalk \n") == "上海 citywalk"
    assert search.search_query_clean("x" * 100) == "x" * 100
    assert search.search_query_clean(None) == ""


# --- Documents kept by the services -------------------------------------------------------


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post a note through the service; its photo is processed (after commit) and it is
    published."""

    def post(author, **fields) -> Note:
        image = NoteImageFactory(owner=author, pending=True)
        with django_capture_on_commit_callbacks(execute=True):
            note = services.note_create(author=author, media_ids=[image.pk], **fields)
        note.refresh_from_db()
        assert note.status == "published"
        return note

    return post


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["citywalk", "上海", "路线", "CityWalk", "上海 路线"])
def test_each_word_finds_the_mixed_note_posted_through_the_service(user, query, post):
    note = post(user, title=MIXED_TITLE, body="周末去哪儿 #上海#")
    assert NoteSearchDocument.objects.filter(note=note).exists()
    assert [n.pk for n in found("notes", query)] == [note.pk]


@postgres_only
@pytest.mark.django_db
def test_editing_a_note_updates_its_document(user, post):
    note = post(user, title="成都火锅", body="Spicy hotpot night")
    assert titles("火锅") == ["成都火锅"]
    services.note_update(note=note, title="重庆小面", body="Noodles #面条")
    assert titles("火锅") == [] and titles("hotpot") == []
    assert titles("小面") == ["重庆小面"]
    assert titles("面条") == ["重庆小面"]  # the new tag


@postgres_only
@pytest.mark.django_db
def test_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_tr%"]
        )
        rows = dict(cursor.fetchall())
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'notes_search_vector_gin'"
        )
        (vector_index,) = cursor.fetchone()
    assert "USING gin (vector)" in vector_index
    assert "gin_trgm_ops" in rows["accounts_user_handle_trgm"]
    assert "upper((handle)::text)" in rows["accounts_user_handle_trgm"]
    assert "gin_trgm_ops" in rows["accounts_user_dname_trgm"]
    assert "gin_trgm_ops" in rows["notes_hashtag_name_trgm"]


# --- Notes: full text ---------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db
def test_chinese_and_english_queries():
    indexed(title="成都火锅 hotpot night", body="Spicy, numbing, perfect #火锅")
    indexed(title="Café crawl in Lisbon", body="Pastel de nata everywhere")
    indexed(title="小猫咪的一天", body="睡觉")
    assert titles("火锅") == ["成都火锅 hotpot night"]
    assert titles("成都 火锅") == ["成都火锅 hotpot night"]
    assert titles("HOTPOT") == ["成都火锅 hotpot night"]
    assert titles("cafe") == ["Café crawl in Lisbon"]
    assert titles("Café lisbon") == ["Café crawl in Lisbon"]
    assert titles("猫") == ["小猫咪的一天"]
    assert titles("火锅 lisbon") == []  # every word must match
    assert titles("tokyo") == []


@postgres_only
@pytest.mark.django_db
def test_title_and_tag_matches_rank_above_text_matches():
    body_only = indexed(title="Weekend plans", body="A long walk around 上海 with friends and food")
    in_title = indexed(title="上海 in one day", body="Trains and dumplings")
    tagged = indexed(title="Dumplings", body="So good", tags=["上海"])
    ranked = [note.pk for note in found("notes", "上海")]
    assert ranked.index(in_title.pk) < ranked.index(body_only.pk)
    assert ranked.index(tagged.pk) < ranked.index(body_only.pk)


@postgres_only
@pytest.mark.django_db
def test_equally_relevant_notes_come_newest_first_and_page_by_cursor():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    notes = [
        indexed(title="citywalk", body="", published_at=now - timedelta(hours=i)) for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        page = search.search_page(
            kind="notes", query="citywalk", viewer=ANON, cursor=cursor, size=2
        )
        seen += [note.pk for note in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == [note.pk for note in notes]  # newest first, each once


# --- People and tags: trigram -------------------------------------------------------------


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["ali", "ALICE", "@alice_w", "wonder", "Alice Won", "lice_w", "wonder alice"]
)
def test_people_by_partial_handle_or_display_name(query):
    alice = UserFactory(handle="alice_w", display_name="Alice Wonder")
    UserFactory(handle="bob", display_name="Bob Builder")
    assert found("users", query) == [alice]


@postgres_only
@pytest.mark.django_db
def test_people_by_chinese_display_name_and_exact_handle_first():
    mei = UserFactory(handle="mei", display_name="小红书达人")
    assert found("users", "小红") == [mei]
    exact = UserFactory(handle="ali", display_name="Someone")
    prefix = UserFactory(handle="alina", display_name="Alina")
    inside = UserFactory(handle="natali", display_name="Nat")
    assert found("users", "ali")[:3] == [exact, prefix, inside]


@postgres_only
@pytest.mark.django_db
def test_tags_by_partial_name_with_visible_note_counts(user, other_user):
    indexed(title="a", tags=["Citywalk"])
    indexed(title="b", tags=["Citywalk"])
    indexed(title="c", tags=["citywalking"], visibility=Visibility.PRIVATE, author=user)
    indexed(title="d", tags=["城市漫步"])
    rows = found("tags", "#City")
    assert [(t.name, t.note_count) for t in rows] == [("citywalk", 2)]
    # Their own private note makes its tag findable to its author only.
    assert {(t.name, t.note_count) for t in found("tags", "city", viewer=user)} == {
        ("citywalk", 2),
        ("citywalking", 1),
    }
    assert [t.name for t in found("tags", "漫步")] == ["城市漫步"]
    assert [t.name for t in found("tags", "citywalkk")] == ["citywalk"]  # a typo


# --- Never found --------------------------------------------------------------------------


@pytest.fixture
def hidden_world(user, other_user):
    """Notes with the word "lantern" that `user` may not see, and one they may."""
    blocked, blocker, muted, suspended = UserFactory.create_batch(4)
    BlockFactory(blocker=user, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=user)
    MuteFactory(muter=user, muted=muted)
    suspended.is_active = False
    suspended.save()
    for title, fields in {
        "hidden": {"is_hidden": True},
        "private": {"visibility": Visibility.PRIVATE, "author": other_user},
        "followers": {"visibility": Visibility.FOLLOWERS, "author": other_user},
        "blocked": {"author": blocked},
        "blocker": {"author": blocker},
        "muted": {"author": muted},
        "suspended": {"author": suspended},
        "processing": {"processing": True},
    }.items():
        indexed(title=f"lantern {title}", tags=["lantern"], **fields)
    indexed(title="lantern visible", tags=["lantern"])
    return {"blocked": blocked, "blocker": blocker, "muted": muted, "suspended": suspended}


def _fallback_titles(query, viewer):
    listing = search.notes_contains_search(query=query, viewer=viewer)
    return sorted(n.title for n in listing.queryset)


@pytest.mark.django_db
@pytest.mark.parametrize("full_text", [True, False], ids=["full-text", "fallback"])
def test_hidden_private_blocked_muted_and_suspended_are_never_found(
    hidden_world, user, other_user, full_text
):
    if full_text and connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    notes = (lambda q, v: sorted(titles(q, v))) if full_text else _fallback_titles
    assert notes("lantern", user) == ["lantern visible"]
    # A visitor is in no block and mutes no one; hidden, private and suspended stay out.
    assert notes("lantern", ANON) == [
        "lantern blocked",
        "lantern blocker",
        "lantern muted",
        "lantern visible",
    ]
    FollowFactory(follower=user, followee=other_user)
    assert notes("lantern", user) == ["lantern followers", "lantern visible"]
    assert "lantern private" in notes("lantern", other_user)  # their own

    people = search.users_trigram_search if full_text else search.users_contains_search
    tags = search.tags_trigram_search if full_text else search.tags_contains_search
    for person in hidden_world.values():
        listing = people(query=person.handle, viewer=user)
        assert person not in list(listing.queryset), person
    (tag,) = tags(query="lantern", viewer=user).queryset
    assert tag.note_count == 2  # the visible note and the followers-only one


# --- Fallback builders (any database) -----------------------------------------------------


@pytest.mark.django_db
def test_fallback_finds_each_word_in_title_text_place_or_tags():
    indexed(title=MIXED_TITLE, body="周末")
    indexed(title="Brisket", body="Fourteen hours", location="Austin", tags=["bbq"])
    for query, expected in [
        ("citywalk", [MIXED_TITLE]),
        ("上海", [MIXED_TITLE]),
        ("路线", [MIXED_TITLE]),
        ("brisket austin", ["Brisket"]),
        ("#BBQ", ["Brisket"]),
        ("%", []),
        ("_", []),
        ("\\", []),
        ("#", []),
        ("＃ #", []),
    ]:
        assert _fallback_titles(query, ANON) == expected, query


@pytest.mark.django_db
def test_fallback_people_and_tags_exact_and_prefix_first():
    inside = UserFactory(handle="natali", display_name="Nat")
    exact = UserFactory(handle="ali", display_name="X")
    prefix = UserFactory(handle="alina", display_name="Y")
    assert list(search.users_contains_search(query="@", viewer=ANON).queryset) == []
    listing = search.users_contains_search(query="@ALI", viewer=ANON)
    assert list(listing.queryset.order_by("-search_score", "-id")) == [exact, prefix, inside]
    indexed(title="t", tags=["travel"])
    indexed(title="u", tags=["timetravel"])
    listing = search.tags_contains_search(query="＃Travel", viewer=ANON)
    assert [t.name for t in listing.queryset.order_by("-search_score", "-id")] == [
        "travel",
        "timetravel",
    ]


# --- Hostile queries: any text, no error --------------------------------------------------

# Text a person can type: anything but control characters (the middleware refuses those).
typed_text = st.text(
    alphabet=st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=100
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=typed_text, kind=st.sampled_from(search.SEARCH_TYPES))
def test_any_typed_query_searches_without_error(query, kind):
    cleaned = search.search_query_clean(query)
    page = search.search_page(kind=kind, query=cleaned, viewer=ANON, cursor=None, size=5)
    assert isinstance(page.items, list)


@postgres_only
@pytest.mark.django_db(transaction=True)  # so that search_reading's transaction is the outer one
def test_search_reading_switches_jit_off_for_its_transaction_only():
    def jit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    before = jit()
    with search.search_reading():
        assert jit() == "off"
    assert jit() == before
