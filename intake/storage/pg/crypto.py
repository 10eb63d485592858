"""What the station does so that the server never sees a note, a name or a number.

- **The line key**: 256 random bits, made once when the shared store is created. It never leaves
  a station unwrapped: the server keeps it wrapped (AES-256-GCM) under a key derived from the
  line passphrase with scrypt (n=2^15, r=8, p=1: 32 MiB, about 0.1 s). Changing the passphrase
  rewraps the line key only; no record is re-encrypted.
- **Sealed fields**: every free-text field and identifier is encrypted with AES-256-GCM under a
  key derived from the line key (HKDF-SHA256, "fields"), a fresh random 96-bit nonce each time,
  and associated data naming the table, the field and the record's id: a sealed value copied
  into another record or another column fails to open instead of showing up there.
- **The blind index**: note search looks up HMAC-SHA256 (key derived from the line key,
  "blind index") of each normalised word, truncated to 16 bytes. Words are folded the way the
  SQLCipher store's full-text index folds them (Unicode decomposition, accents removed,
  case folded), so "Épuisée" finds "epuisee".
- **The audit key**: the audit chain's HMAC key is derived from the line key ("audit"), so the
  server (or whoever holds a dump) cannot rewrite the chain and recompute it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from intake.passphrase import normalize
from intake.storage.errors import StoreDamaged, WrongPassphrase

KEY_BYTES = 32
NONCE_BYTES = 12
BLIND_BYTES = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_WRAP_AAD = b"intake line key v1"
_FORMAT = 1  # the first byte of every sealed value


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(normalize(passphrase).encode())


def new_line_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap_line_key(line_key: bytes, passphrase: str) -> str:
    """The line key sealed under the passphrase, as the JSON text the server keeps."""
    salt, nonce = os.urandom(16), os.urandom(NONCE_BYTES)
    kek = _kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(kek).encrypt(nonce, line_key, _WRAP_AAD)
    return json.dumps(
        {
            "kdf": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "sealed": sealed.hex(),
        },
        sort_keys=True,
    )


def unwrap_line_key(wrapped: str, passphrase: str) -> bytes:
    try:
        fields = json.loads(wrapped)
        kek = _kek(passphrase, bytes.fromhex(fields["salt"]), fields["n"], fields["r"], fields["p"])
        nonce, sealed = bytes.fromhex(fields["nonce"]), bytes.fromhex(fields["sealed"])
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreDamaged() from exc
    try:
        return AESGCM(kek).decrypt(nonce, sealed, _WRAP_AAD)
    except InvalidTag:
        raise WrongPassphrase() from None


def words(text: str) -> set[str]:
    """The normalised words of a text: accents removed, case folded, split on anything that is
    not a letter or a digit (as the SQLCipher store's unicode61 tokenizer with
    remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    found: set[str] = set()
    current: list[str] = []
    for ch in plain:
        if ch.isalnum():
            current.append(ch)
        elif current:
            found.add("".join(current))
            current = []
    if current:
        found.add("".join(current))
    return found


@dataclass(frozen=True)
class LineKeys:
    """The keys derived from one line key; nothing here is ever sent to the server."""

    fields: bytes
    blind: bytes
    audit: bytes

    @classmethod
    def derive(cls, line_key: bytes) -> LineKeys:
        def sub(label: bytes) -> bytes:
            return HKDF(
                algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"intake " + label
            ).derive(line_key)

        return cls(sub(b"fields"), sub(b"blind index"), sub(b"audit"))

    @staticmethod
    def _aad(table: str, field: str, record_id: str) -> bytes:
        return "\x1f".join(("intake", table, field, record_id)).encode()

    def seal(self, table: str, field: str, record_id: str, value: str | None) -> bytes | None:
        if value is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.fields).encrypt(
            nonce, value.encode(), self._aad(table, field, record_id)
        )
        return bytes([_FORMAT]) + nonce + sealed

    def open(self, table: str, field: str, record_id: str, value: bytes | None) -> str | None:
        if value is None:
            return None
        data = bytes(value)
        if not data or data[0] != _FORMAT:
            raise StoreDamaged()
        try:
            plain = AESGCM(self.fields).decrypt(
                data[1 : 1 + NONCE_BYTES],
                data[1 + NONCE_BYTES :],
                self._aad(table, field, record_id),
            )
        except InvalidTag:
            raise StoreDamaged() from None
        return plain.decode()

    def blind_token(self, word: str) -> bytes:
        return hmac.new(self.blind, word.encode(), hashlib.sha256).digest()[:BLIND_BYTES]

    def blind_tokens(self, text: str) -> list[bytes]:
        return sorted({self.blind_token(w) for w in words(text)})
