"""Writes for accounts: sign-up, profiles, avatars, passwords, tokens and the social graph.

Every function validates its input and raises `django.core.exceptions.ValidationError` keyed
by field, so the HTML forms and the API report the same errors; nothing is stored on error.
Events (accounts/events.py) are sent after commit. Callers import from `accounts.services`.
"""

from .auth import SignInThrottled, account_signup, auth_token_sign_in
from .graph import (
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    follow_request_accept,
    follow_request_decline,
    follow_requests_accept_all,
    mute_create,
    mute_delete,
)
from .profiles import (
    AVATAR_SIZE,
    PROFILE_FIELDS,
    avatar_clear,
    avatar_set,
    profile_update,
    ui_language_set,
)
from .users import (
    auth_token_obtain,
    auth_tokens_revoke,
    email_check,
    email_normalize,
    email_taken,
    email_validate,
    handle_normalize,
    handle_validate,
    has_control_characters,
    password_set,
    user_create,
    user_seen,
    user_suspend,
    user_unsuspend,
)

__all__ = [
    "AVATAR_SIZE",
    "PROFILE_FIELDS",
    "SignInThrottled",
    "account_signup",
    "auth_token_obtain",
    "auth_token_sign_in",
    "auth_tokens_revoke",
    "avatar_clear",
    "avatar_set",
    "block_create",
    "block_delete",
    "email_check",
    "email_normalize",
    "email_taken",
    "email_validate",
    "follow_create",
    "follow_delete",
    "follow_request_accept",
    "follow_request_decline",
    "follow_requests_accept_all",
    "handle_normalize",
    "handle_validate",
    "has_control_characters",
    "mute_create",
    "mute_delete",
    "password_set",
    "profile_update",
    "ui_language_set",
    "user_create",
    "user_seen",
    "user_suspend",
    "user_unsuspend",
]
