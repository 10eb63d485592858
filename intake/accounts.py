"""Accounts: who can sign in, and in which role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    VOLUNTEER = "volunteer"
    SUPERVISOR = "supervisor"
    KIOSK = "kiosk"
    # Peer-support matching (issue 17); the accounts table accepts them once its role
    # check is widened (the accounts work of issue 16).
    COORDINATOR = "coordinator"
    PEER_SUPPORTER = "peer-supporter"


@dataclass(frozen=True)
class Account:
    id: str
    display_name: str
    role: Role
