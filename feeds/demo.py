"""The demo section of feeds: Discover ranks for the demo notes (see rednote/demo.py).

The notes' photos are processed after the seed's transaction commits (in-process on the quick
start, by the images worker on the full stack), and each note is ranked when it is published
(`note_published`). This section adds one recomputation of every note's rank, also after the
commit — by then, on the quick start, every note is published with its likes and collects — so
the first Discover after `make run` is ranked, and a second seed refreshes the ranks.
"""

from rednote.demo import DemoContext, SectionResult, register
from rednote.tasks import enqueue_on_commit


def discover_ranks_load(context: DemoContext) -> SectionResult | None:
    enqueue_on_commit("feeds.discover_ranks_recompute", everything=True)
    return None  # ranks are derived data, not part of the seed's summary


register("discover_ranks", order=60, load=discover_ranks_load)
