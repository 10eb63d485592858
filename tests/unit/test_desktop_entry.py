"""The Linux menu entry and its icon (packaging/): what a desktop reads, checked as it reads it."""

from __future__ import annotations

import configparser
import os
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import intake
from intake.i18n import gettext_in

ROOT = Path(intake.__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESCRIPTION = "Confidential, bilingual intake and referral for physician peer support."


def read_entry(path: Path) -> configparser.ConfigParser:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    return entry


def test_the_menu_entry_names_the_application_in_both_languages() -> None:
    entry = read_entry(PACKAGING / "peer-support-intake.desktop")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Name"] == "Peer Support Intake"
    assert main["Name[fr]"] == gettext_in("fr", "Peer Support Intake")
    assert main["Comment"] == DESCRIPTION.rstrip(".")
    assert main["Comment[fr]"] == gettext_in("fr", DESCRIPTION).rstrip(".")
    assert main["Terminal"] == "false"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert main["Exec"] in scripts  # the command pip and pipx install
    assert entry["Desktop Action kiosk"]["Exec"] == main["Exec"] + " --kiosk"
    assert entry["Desktop Action kiosk"]["Name[fr]"] == "Mode borne"
    assert main["Icon"] == "peer-support-intake"


def test_the_icon_exists_as_svg_and_a_256_pixel_png() -> None:
    svg = ET.parse(PACKAGING / "peer-support-intake.svg").getroot()
    assert svg.tag.endswith("svg")
    assert svg.get("viewBox") == "0 0 256 256"
    png = (PACKAGING / "peer-support-intake.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)


@pytest.mark.skipif(os.name != "posix", reason="make and XDG folders: Linux")
def test_make_desktop_entry_installs_it_for_this_user(tmp_path: Path) -> None:
    bundle = tmp_path / "opt" / "intake" / "intake"
    subprocess.run(
        ["make", "--no-print-directory", "-s", "desktop-entry", f"DATA_HOME={tmp_path}", f"EXEC={bundle}"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    installed = read_entry(tmp_path / "applications" / "peer-support-intake.desktop")
    assert installed["Desktop Entry"]["Exec"] == str(bundle)
    assert installed["Desktop Entry"]["TryExec"] == str(bundle)
    assert installed["Desktop Action kiosk"]["Exec"] == f"{bundle} --kiosk"
    for size, suffix in (("scalable", "svg"), ("256x256", "png")):
        icon = tmp_path / "icons" / "hicolor" / size / "apps" / f"peer-support-intake.{suffix}"
        assert icon.read_bytes() == (PACKAGING / f"peer-support-intake.{suffix}").read_bytes()
