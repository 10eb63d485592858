"""PIN hashing with scrypt (memory-hard, in the standard library).

Parameters: n=2**14, r=8, p=1 uses 16 MiB and about 50 ms per hash on a 2-core machine: slow
enough to make guessing a short PIN from a stolen (decrypted) store costly, fast enough to sign in.
The parameters are stored with each hash so they can be raised later without breaking old PINs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=_KEY_BYTES
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            pin.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def pin_parameters(stored: str) -> tuple[str, bytes] | None:
    """Split a stored hash into what a station needs to derive the PIN's key (the scheme, its
    costs and the salt, as text) and the key itself; None for anything else (a disabled
    account's marker). The shared store keeps the first sealed and only a hash of the second
    (`pin_verifier`), so its server decides whether a PIN was right."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        key = bytes.fromhex(parts[5])
        int(parts[1]), int(parts[2]), int(parts[3]), bytes.fromhex(parts[4])
    except ValueError:
        return None
    return "$".join(parts[:5]), key


def derive_pin_key(pin: str, parameters: str) -> bytes | None:
    """The key `pin` gives under `parameters` (as made by `pin_parameters`); None if they
    cannot be read. Slow on purpose (scrypt), as `verify_pin`."""
    try:
        scheme, n, r, p, salt = parameters.split("$")
        if scheme != "scrypt":
            return None
        return hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=_KEY_BYTES
        )
    except ValueError:
        return None
