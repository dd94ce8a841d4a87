"""Domain events: a lower app tells higher ones what happened, after the write commits.

Each app declares its events in `<app>/events.py` as plain `django.dispatch.Signal`s and sends
them only through `send_on_commit`, so a receiver never sees a state that was rolled back.
Receivers connect in their `AppConfig.ready()`.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal


def send_on_commit(signal: Signal, *, sender: type, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs), robust=False)
