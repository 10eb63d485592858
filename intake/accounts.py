"""Accounts: who can sign in, and in which role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    VOLUNTEER = "volunteer"
    SUPERVISOR = "supervisor"
    KIOSK = "kiosk"
    # Peer-support matching: coordinators run it, peer supporters are matched (migration 9).
    COORDINATOR = "coordinator"
    PEER_SUPPORTER = "peer-supporter"


@dataclass(frozen=True)
class Account:
    id: str
    display_name: str
    role: Role
