"""The encrypted store (SQLCipher), free of Qt."""

from intake.storage.db import Store, create_store, open_store
from intake.storage.errors import (
    DiskFull,
    NotEncrypted,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreExists,
    StoreFromFuture,
    StoreMissing,
    StoreReadOnly,
    WrongPassphrase,
)

__all__ = [
    "DiskFull",
    "NotEncrypted",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreExists",
    "StoreFromFuture",
    "StoreMissing",
    "StoreReadOnly",
    "WrongPassphrase",
    "create_store",
    "open_store",
]
