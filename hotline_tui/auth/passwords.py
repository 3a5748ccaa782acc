"""Passwords are stored as Argon2id hashes (argon2-cffi), never in the clear, never in an event's text.

Parameters: RFC 9106's second recommended option, which is argon2-cffi's default profile: Argon2id,
time_cost 3, memory 64 MiB, parallelism 4. Verifying one takes about 0.17 s on the 2-core machine these were
measured on (``tests/bench_signin.py``), within the 0.5 s a sign-in may take, and 64 MiB per guess is what
makes an offline guess costly on a GPU. The parameters travel inside each hash, so a later change of them
still verifies the old hashes; ``needs_rehash`` says when a sign-in should store a new one.
"""

from __future__ import annotations

TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 4

_hasher = None


def hasher():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher, Type

        _hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID)
    return _hasher


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches; False for a wrong one or a damaged hash (never raises on them)."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    if not stored_hash:
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def use_hasher(h) -> None:
    """Replace the hasher (tests use cheap parameters; the bench measures the real ones)."""
    global _hasher
    _hasher = h
