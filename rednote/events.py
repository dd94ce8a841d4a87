"""Domain events: a lower app tells higher ones what happened, after the write commits.

Each app declares its events in `<app>/events.py` as plain `django.dispatch.Signal`s and sends
them only through `send_on_commit`, so a receiver never sees a state that was rolled back.
Receivers connect in their `AppConfig.ready()` and only enqueue work.

A receiver that raises cannot undo a write that has already committed, so it must not turn the
request into an error either: every receiver runs (`Signal.send_robust`), and a failure is
logged with the event's name and its keyword arguments (ids), then the request goes on.
"""

import logging
import sys
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def event_name(signal: Signal) -> str:
    """`app.events.name` of a signal declared in an `events` module, for the log."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.endswith("events"):
            continue
        for attribute, value in vars(module).items():
            if value is signal:
                return f"{module_name}.{attribute}"
    return repr(signal)


def _receiver_name(receiver) -> str:
    return f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', receiver)}"


def _send(signal: Signal, sender: type, kwargs: dict) -> None:
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "event %s %s: receiver %s failed",
                event_name(signal),
                kwargs,
                _receiver_name(receiver),
                exc_info=(type(result), result, result.__traceback__),
            )


def send_on_commit(signal: Signal, *, sender: type, **kwargs) -> None:
    """Send `signal` with keyword arguments (ids only) once the current transaction commits;
    at once outside a transaction. A rolled-back write sends nothing."""
    transaction.on_commit(partial(_send, signal, sender, kwargs), robust=False)
