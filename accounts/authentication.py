"""API token authentication with the token's user kept in the cache.

DRF's `TokenAuthentication` reads the token and its user from the database on every API
request. Here the token (by a digest of its key, never the key itself) maps to its user's row
for `TOKEN_CACHE_TTL` seconds, so a signed API read costs one cache read for authentication
instead of a query.

Kept coherent by two receivers (cache coherence, not a business flow, so they are signals):
a deleted token — revoked by `auth_tokens_revoke` (password change, admin), or the account
deleted — drops its entry at once, and any save of a user (suspension, profile edits) drops
the cached row, so a suspended account's token stops working on its next request and an
edited profile is read fresh. Both are dropped again after the commit, so a request racing the
write cannot keep the old state for longer than the TTL.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import User

TOKEN_CACHE_TTL = 60


def _token_key(key: str) -> str:
    return "accounts:token:" + hashlib.sha256(key.encode()).hexdigest()


def _user_key(user_id: int) -> str:
    return f"accounts:token-of-user:{user_id}"


def _forget(keys: list[str]) -> None:
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def token_forget(*, key: str) -> None:
    """Forget a token (it was deleted)."""
    _forget([_token_key(key)])


def token_user_forget(*, user_id: int) -> None:
    """Forget the cached row of a user's token (the user was saved)."""
    token_key = cache.get(_user_key(user_id))
    _forget([_user_key(user_id), *([token_key] if token_key else [])])


class CachedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, answered from the cache when it can be: one
    cache read instead of a query."""

    def authenticate_credentials(self, key):
        token_key = _token_key(key)
        user = cache.get(token_key)
        if user is None:
            user, token = super().authenticate_credentials(key)
            # The user's entry names the token's, so a save of the user can find and drop it.
            cache.set_many({token_key: user, _user_key(user.pk): token_key}, TOKEN_CACHE_TTL)
            return user, token
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # The token row itself is not read; what a view may need of it is its key and owner.
        return user, Token(key=key, user=user)


def token_cache_receivers_connect() -> None:
    """Connect the receivers that keep the cache coherent (AccountsConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    def token_deleted(sender, instance: Token, **kwargs) -> None:
        token_forget(key=instance.key)

    def user_saved(sender, instance: User, **kwargs) -> None:
        token_user_forget(user_id=instance.pk)

    post_delete.connect(token_deleted, sender=Token, dispatch_uid="accounts.token_cache.token")
    post_save.connect(user_saved, sender=User, dispatch_uid="accounts.token_cache.user")
    post_delete.connect(user_saved, sender=User, dispatch_uid="accounts.token_cache.user_gone")
