"""Passwords are stored as Argon2id hashes (argon2-cffi), never in the clear, never in an event's text.

Parameters: Argon2id, memory 46 MiB, time_cost 1, parallelism 1 (the first of OWASP's equivalent Argon2id
settings). Measured on the 2-core machine this was built on (``tests/bench/bench_signin.py``): about 60 ms a
verification when it is quiet and 240-270 ms while other jobs keep its load average at 5, within the 0.5 s a
sign-in may take. RFC 9106's 64 MiB, t=3, p=4 (argon2-cffi's default) took 170 ms quiet but 730-880 ms under
that load, since its four lanes fight for two cores: too slow for a desk that shares its machine. Memory is what
makes a guess costly on a GPU, so the setting keeps 46 MiB and spends little time instead. The parameters travel
inside each hash, so a later change still verifies the old hashes.
"""

from __future__ import annotations

TIME_COST = 1
MEMORY_KIB = 46 * 1024
PARALLELISM = 1

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
