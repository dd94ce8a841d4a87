"""Translating texts for readers: the machine-translation cache, the translations queue,
quotas, privacy, community translations and feedback.

Callers (notes, for notes and comments) pass text and languages, and the note or comment as
`content` when community translations may replace the machine one; they have checked that the
reader may see it. Results are plain text: never mark them safe — templates escape them like
any user text, so HTML in a provider's answer shows as text.

Machine translation, step by step (`translations_get_many`):
1. a community translation of `content` that its author accepted or enough readers upvoted;
2. nothing more without a provider (`TRANSLATION_PROVIDER` empty: "not configured");
3. private text (followers-only, private) only to a self-hosted provider;
4. the cache: a text translated before costs nothing, whoever asked;
5. the reader's hourly quota, counted in characters sent to the provider;
6. a `pending` row per text, and one task on the `translations` queue for the whole batch,
   which calls the provider once per batch (chunked by what it takes), retries failures and
   429s with backoff, and finally marks what it could not translate `failed`.
With eager tasks (the quick start) step 6 runs in-process and the answer comes back at once;
with workers the caller gets `pending` and asks again.

Modules: `types` (results, requests, reasons, text keys, the provider), `quota`, `reading`
(getting translations), `making` (the translations queue's work), `community` (suggest, vote,
accept, hide) and `feedback`. Import from this package: it re-exports what callers use.
"""

from .community import (
    _community_results,
    _suggestion_changed,
    community_translation_accept,
    community_translation_changed_send,
    community_translation_suggest,
    community_translation_unvote,
    community_translation_vote,
    community_translations_hide,
)
from .feedback import FeedbackOutcome, translation_feedback_record
from .making import (
    RetryPlan,
    _batch_translate,
    _batches,
    _rows_fail,
    _rows_store,
    machine_translations_make,
)
from .quota import _quota_key, _quota_who, translation_quota_left, translation_quota_use
from .reading import (
    _cached_rows,
    _finished,
    _machine_result,
    _pending_rows_create,
    _translations_get_many,
    translation_get,
    translations_cached,
    translations_get_many,
)
from .types import (
    FAILED_RETRY_AFTER,
    MAX_RETRY_WAIT_SECONDS,
    PENDING_STALE_AFTER,
    TRANSLATE_TASK,
    Kind,
    QuotaExceeded,
    Reason,
    State,
    TranslationRequest,
    TranslationResult,
    _content_key,
    _provider,
    _source_code,
    _unavailable,
    text_hash,
    text_normalize,
    unavailable_detail,
)

__all__ = [
    "FAILED_RETRY_AFTER",
    "MAX_RETRY_WAIT_SECONDS",
    "PENDING_STALE_AFTER",
    "TRANSLATE_TASK",
    "FeedbackOutcome",
    "Kind",
    "QuotaExceeded",
    "Reason",
    "RetryPlan",
    "State",
    "TranslationRequest",
    "TranslationResult",
    "_batch_translate",
    "_batches",
    "_cached_rows",
    "_community_results",
    "_content_key",
    "_finished",
    "_machine_result",
    "_pending_rows_create",
    "_provider",
    "_quota_key",
    "_quota_who",
    "_rows_fail",
    "_rows_store",
    "_source_code",
    "_suggestion_changed",
    "_translations_get_many",
    "_unavailable",
    "community_translation_accept",
    "community_translation_changed_send",
    "community_translation_suggest",
    "community_translation_unvote",
    "community_translation_vote",
    "community_translations_hide",
    "machine_translations_make",
    "text_hash",
    "text_normalize",
    "translation_feedback_record",
    "translation_get",
    "translation_quota_left",
    "translation_quota_use",
    "translations_cached",
    "translations_get_many",
    "unavailable_detail",
]
