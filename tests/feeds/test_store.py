"""The feed store (`feeds.store`) on one Redis and on a Redis Cluster (`feed_store`)."""

import pytest

from feeds.store import PULL_AUTHORS_KEY, Entry

READERS = list(range(1, 301))  # spread over every slot owner of a 3-node cluster


def test_store_add_many_reaches_every_reader_once(feed_store):
    feed_store.timeline_add_many(READERS, 42, 1_000)
    feed_store.timeline_add_many(READERS, 42, 1_000)  # a redelivered task
    for reader in (1, 150, 300):
        assert feed_store.timeline_members(reader) == [42]
    if feed_store.cluster:
        owners = {
            feed_store.client.get_node_from_key(feed_store.timeline_key(r)).name for r in READERS
        }
        assert len(owners) == 3


def test_store_trims_to_the_newest(feed_store):
    feed_store.max_length = 5
    for note_id in range(1, 9):
        feed_store.timeline_add_many([7], note_id, 1_000 + note_id)
    assert feed_store.timeline_members(7) == [8, 7, 6, 5, 4]
    # An older note than all of a full timeline's does not stay.
    feed_store.timeline_add_many([7], 99, 1)
    assert 99 not in feed_store.timeline_members(7)


def test_store_page_is_none_until_built_then_pages_by_position(feed_store):
    assert feed_store.timeline_page(3, before=None, count=10) is None
    feed_store.timeline_rebuild(3, [], expire_at=4_102_444_800)
    assert feed_store.timeline_page(3, before=None, count=10) == ([], False)  # built, empty
    entries = [Entry(100, 1), Entry(200, 2), Entry(200, 3), Entry(300, 4)]
    feed_store.timeline_rebuild(3, entries, expire_at=4_102_444_800)
    first, more = feed_store.timeline_page(3, before=None, count=2)
    assert first == [Entry(300, 4), Entry(200, 3)] and more
    rest, more = feed_store.timeline_page(3, before=(200, 3), count=2)
    assert rest == [Entry(200, 2), Entry(100, 1)]
    assert feed_store.timeline_page(3, before=(100, 1), count=2) == ([], False)


def test_store_page_of_a_long_timeline_is_one_round_trip(feed_store, monkeypatch):
    # Asking for `count` exactly, a full read left out its lowest score's group and read
    # again: every home feed page cost two script calls.
    feed_store.timeline_rebuild(
        5, [Entry(1000 + i, i) for i in range(1, 101)], expire_at=4_102_444_800
    )
    calls = []
    call = feed_store._call
    monkeypatch.setattr(feed_store, "_call", lambda *a: calls.append(a) or call(*a))
    page, more = feed_store.timeline_page(5, before=None, count=40)
    assert [e.note_id for e in page] == list(range(100, 60, -1)) and more
    page, more = feed_store.timeline_page(5, before=(page[-1].score, page[-1].note_id), count=40)
    assert [e.note_id for e in page] == list(range(60, 20, -1)) and more
    assert len(calls) == 2


def test_store_rebuild_keeps_what_pushes_brought_meanwhile(feed_store):
    feed_store.timeline_add_many([5], 9, 900)  # pushed while the timeline was missing
    assert not feed_store.timeline_exists(5)
    feed_store.timeline_rebuild(5, [Entry(100, 1)], expire_at=4_102_444_800)
    assert feed_store.timeline_exists(5)
    assert feed_store.timeline_members(5) == [9, 1]


def test_store_remove_and_expiry(feed_store):
    feed_store.timeline_rebuild(8, [Entry(100, 1), Entry(200, 2)], expire_at=4_102_444_800)
    feed_store.timeline_add_many([8, 9], 3, 300)
    feed_store.timeline_remove([8, 9], [3, 1])
    assert feed_store.timeline_members(8) == [2]
    assert feed_store.timeline_members(9) == []
    client = feed_store.client
    assert client.ttl(feed_store.timeline_key(8)) > 0 and client.ttl(feed_store.marker_key(8)) > 0


def test_store_drops_many_timelines_to_be_rebuilt(feed_store):
    for reader in READERS:
        feed_store.timeline_rebuild(reader, [Entry(100, 1)], expire_at=4_102_444_800)
    feed_store.timelines_drop(READERS[:-1])  # keys of every slot owner on a cluster
    assert not any(feed_store.timeline_exists(r) for r in READERS[:-1])
    assert feed_store.timeline_members(READERS[0]) == []
    assert feed_store.timeline_members(READERS[-1]) == [1]


def test_store_flush_loses_everything_and_says_so(feed_store):
    feed_store.timeline_rebuild(4, [Entry(100, 1)], expire_at=4_102_444_800)
    feed_store.pull_authors_replace([12])
    feed_store.flush()
    assert feed_store.timeline_page(4, before=None, count=10) is None
    assert feed_store.pull_authors() is None
    # Scripts are loaded again after the flush (SCRIPT FLUSH or a restarted server alike).
    feed_store.client.script_flush()
    feed_store.timeline_add_many(READERS, 5, 500)
    assert feed_store.timeline_members(300) == [5]


def test_store_pull_authors(feed_store):
    assert feed_store.pull_authors() is None
    feed_store.pull_author_add(3)  # not computed yet: left to the computation
    assert feed_store.pull_authors() is None
    feed_store.pull_authors_replace([])
    assert feed_store.pull_authors() == set()
    feed_store.pull_author_add(3)
    assert feed_store.pull_authors() == {3}
    assert feed_store.client.type(PULL_AUTHORS_KEY) == b"set"


def test_store_memory_per_entry(feed_store):
    assert feed_store.memory_per_entry(6) is None
    feed_store.timeline_rebuild(
        6, [Entry(1_733_000_000_000_000 + i, 10_000 + i) for i in range(800)], 4_102_444_800
    )
    per_entry = feed_store.memory_per_entry(6)
    assert per_entry is not None and 8 < per_entry < 1_000


@pytest.mark.parametrize("count", [1, 3])
def test_store_page_reads_past_many_equal_scores(feed_store, count):
    entries = [Entry(500, note_id) for note_id in range(1, 31)]
    feed_store.timeline_rebuild(2, entries, expire_at=4_102_444_800)
    page, _more = feed_store.timeline_page(2, before=(500, 10), count=count)
    assert page == [Entry(500, 9 - i) for i in range(count)]


@pytest.mark.parametrize("count", [1, 2])
def test_store_pages_cut_in_equal_scores_lose_nothing(feed_store, count):
    """Redis orders equal scores by member text ("9" before "10"): a read that ends inside
    such a group must neither put the wrong notes first nor skip the rest of the group."""
    entries = [Entry(500, note_id) for note_id in (8, 9, 10, 11)] + [Entry(400, 3)]
    feed_store.timeline_rebuild(4, entries, expire_at=4_102_444_800)
    seen: list[Entry] = []
    before = None
    while True:
        page, more = feed_store.timeline_page(4, before=before, count=count)
        seen += page
        if not more or not page:
            break
        before = (page[-1].score, page[-1].note_id)
    assert seen == sorted(entries, reverse=True)


def test_store_page_and_pull_authors_in_one_round_trip(feed_store, monkeypatch):
    """A home feed read gets its timeline page and the pull authors in one pipeline, with the
    same answers as the two reads apart: missing, built, computed or not."""
    read = feed_store.timeline_page_and_pull_authors
    assert read(9, before=None, count=2) == (None, None)
    entries = [Entry(100, 1), Entry(200, 2), Entry(300, 3)]
    feed_store.timeline_rebuild(9, entries, expire_at=4_102_444_800)
    feed_store.pull_authors_replace([4, 5])
    feed_store.client.script_flush()  # the script is loaded again, the pipeline rerun
    calls = []
    pipeline = feed_store._pipeline
    monkeypatch.setattr(feed_store, "_pipeline", lambda: calls.append(1) or pipeline())
    monkeypatch.setattr(feed_store, "_call", lambda *a: pytest.fail("a second round trip"))
    assert read(9, before=None, count=2) == (([Entry(300, 3), Entry(200, 2)], True), {4, 5})
    assert read(9, before=(200, 2), count=2, expire_at=4_102_444_801) == (
        ([Entry(100, 1)], False),
        {4, 5},
    )
    assert len(calls) == 3  # the first one found the script flushed
    monkeypatch.undo()
    assert feed_store.client.ttl(feed_store.marker_key(9)) > 0
    feed_store.client.delete(PULL_AUTHORS_KEY)
    assert read(9, before=None, count=5) == (
        feed_store.timeline_page(9, before=None, count=5),
        None,
    )
