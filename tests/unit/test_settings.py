from pathlib import Path

import pytest

from intake.settings import SCHEMA_VERSION, Settings, SettingsFile


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert SettingsFile(tmp_path / "none.json").load() == Settings(
        ui_language=None, schema_version=SCHEMA_VERSION
    )


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


def test_kiosk_settings_round_trip(tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "settings.json")
    file.save(
        Settings(
            ui_language="en",
            kiosk=True,
            kiosk_language="fr",
            kiosk_province="NB",
            kiosk_idle_seconds=90,
            kiosk_countdown_seconds=20,
        )
    )
    loaded = file.load()
    assert (loaded.kiosk, loaded.kiosk_language, loaded.kiosk_province) == (True, "fr", "NB")
    assert (loaded.kiosk_idle_seconds, loaded.kiosk_countdown_seconds) == (90, 20)


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('{"kiosk": "yes"}', "kiosk"),
        ('{"kiosk_language": "de"}', "kiosk_language"),
        ('{"kiosk_province": "XX"}', "kiosk_province"),
        ('{"kiosk_idle_seconds": 2}', "kiosk_idle_seconds"),  # would wipe someone mid-sentence
        ('{"kiosk_idle_seconds": true}', "kiosk_idle_seconds"),
        ('{"kiosk_countdown_seconds": 100000}', "kiosk_countdown_seconds"),
        ('{"kiosk_crisis_idle_seconds": 30}', "kiosk_crisis_idle_seconds"),  # never short
        ('{"kiosk_staff_alert": "off"}', "kiosk_staff_alert"),  # the staff are always alerted
    ],
)
def test_a_mistaken_kiosk_setting_falls_back_to_its_default(
    tmp_path: Path, content: str, field: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    assert getattr(SettingsFile(path).load(), field) == getattr(Settings(), field)
