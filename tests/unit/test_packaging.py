"""What the wheel carries, checked fast from the source tree (tests/packaging builds one)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import intake
from intake.directory.load import SHIPPED as DIRECTORY
from intake.guidance import SHIPPED as GUIDANCE
from intake.paths import shipped
from intake.safety import SHIPPED as SCREEN

ROOT = Path(intake.__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    # The packages are listed by hand (discovery cannot see intake.resources): a new folder
    # left out of the list would be missing from every install but the developer's own.
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "intake").rglob("__init__.py")
    }
    listed = set(CONFIG["packages"])
    assert on_disk - listed == set()
    assert listed - on_disk == {"intake.resources"}
    assert CONFIG["package-dir"] == {"intake.resources": "resources"}


def test_the_shipped_data_is_read_from_the_resources_folder() -> None:
    for path, name in (
        (DIRECTORY, "directory.toml"),
        (SCREEN, "safety-screen.toml"),
        (GUIDANCE, "colleague-guidance.toml"),
    ):
        assert path == shipped(name)
        assert path.is_file()
        assert path.parent.resolve() == (ROOT / "resources").resolve()
        patterns = CONFIG["package-data"]["intake.resources"]
        assert any(path.match(pattern) for pattern in patterns)
