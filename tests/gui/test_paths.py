from pytestqt.qtbot import QtBot

from intake.paths import data_folder
from intake.ui.app import create_qapplication, default_store_path


def test_admin_commands_and_the_application_use_the_same_store(qtbot: QtBot) -> None:
    create_qapplication([])
    assert default_store_path() == data_folder() / "store.db"
