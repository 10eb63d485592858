from pathlib import Path

import pytest

from intake.settings import SCHEMA_VERSION, Settings, SettingsFile


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert SettingsFile(tmp_path / "none.json").load() == Settings(None, SCHEMA_VERSION)


@pytest.mark.parametrize("language", ["en", "fr", None])
def test_round_trip(tmp_path: Path, language: str | None) -> None:
    file = SettingsFile(tmp_path / "sub" / "settings.json")
    file.save(Settings(ui_language=language))  # type: ignore[arg-type]
    assert file.load().ui_language == language


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"ui_language": "de"}', '{"ui_language": 3, "schema_version": "x"}', ""],
)
def test_damaged_or_odd_file_falls_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    assert SettingsFile(path).load().ui_language is None


def test_unknown_keys_are_ignored_and_save_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"ui_language": "fr", "future_option": true}', encoding="utf-8")
    file = SettingsFile(path)
    assert file.load().ui_language == "fr"
    file.save(file.load().with_language("en"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]
    assert file.load().ui_language == "en"
