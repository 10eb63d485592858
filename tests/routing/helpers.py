"""Small directory files written by tests, built from one valid entry."""

from __future__ import annotations

from pathlib import Path

VALID_ENTRY = """
[[program]]
id = "{id}"
kind = "peer-support"
scope = "local"
source = "example.org/peer"
checked = 2026-11-01
name = {{ en = "Example Peer Line", fr = "Ligne de pairs exemple", status = "verified", fr_status = "unverified" }}
text.description = {{ en = "Peers listen.", fr = "Des pairs écoutent." }}
text.serves = {{ en = "Physicians.", fr = "Les médecins." }}
text.referral = {{ en = "Call them.", fr = "Appelez-les." }}
eligibility = {{ provinces = {provinces}, roles = ["physician"], status = "verified" }}
languages = {{ value = ["en", "fr"], status = "verified" }}
format = {{ modes = ["one-on-one"], channels = ["phone"], status = "verified" }}
cost = {{ value = "free", status = "verified" }}
hours = {hours}
contacts = [ {{ type = "voice", value = "{phone}", tags = ["toll-free"], status = "verified" }} ]
"""

ALWAYS = '{ tz = "America/Toronto", always_open = true, status = "verified" }'


def entry(
    id: str = "on-example",
    provinces: str = '["ON"]',
    hours: str = ALWAYS,
    phone: str = "1-800-663-6729",
) -> str:
    return VALID_ENTRY.format(id=id, provinces=provinces, hours=hours, phone=phone)


def write(tmp_path: Path, body: str, name: str = "org.toml") -> Path:
    path = tmp_path / name
    path.write_text("schema = 1\n" + body, encoding="utf-8")
    return path
