"""Accounts: who can sign in, and in which role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    VOLUNTEER = "volunteer"
    SUPERVISOR = "supervisor"
    KIOSK = "kiosk"


@dataclass(frozen=True)
class Account:
    id: str
    display_name: str
    role: Role
