"""When the window cannot start, the person reads why and what to install, in both languages,
instead of Qt's abort (exit 134). Real processes, real Qt, real system libraries."""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys

import pytest

from intake.display import XCB_LIBRARIES, display_problem, x_server_reachable

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="X11 and Wayland platforms: Linux"
)


def env_without_display(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "QT_QPA_PLATFORM"}
    }
    return env | extra


def start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", *args], env=env, capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip


def test_qt_alone_aborts_in_this_environment() -> None:
    # The refusing side, without our check: proof that the environment below really breaks Qt.
    done = subprocess.run(
        [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
        env=env_without_display(QT_QPA_PLATFORM="xcb"), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode in {-6, 134}


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("en_CA.UTF-8", "cannot open its window", "ne peut pas ouvrir sa fenêtre"),
        ("fr_CA.UTF-8", "ne peut pas ouvrir sa fenêtre", "cannot open its window"),
    ],
)
def test_no_display_explains_itself_in_both_languages(lang: str, first: str, second: str) -> None:
    for mode in ([], ["--kiosk"]):
        done = start(env_without_display(QT_QPA_PLATFORM="xcb", LANG=lang), *mode)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert "qt.qpa" not in done.stderr  # Qt was never asked
        assert 0 <= done.stderr.index(first) < done.stderr.index(second)
        assert "intake route" in done.stderr


def test_default_platform_without_any_display_is_explained() -> None:
    done = start(env_without_display(LANG="en_CA.UTF-8"))
    assert done.returncode == 1
    assert "no graphical display could be reached" in done.stderr


def present(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def test_missing_system_libraries_are_named_with_their_packages() -> None:
    missing = [name for name in XCB_LIBRARIES if not present(name)]
    # A display that answers (a listening socket standing in for the X server, in Linux's
    # abstract namespace as X servers also use), so only the libraries can be the problem.
    number = 90 + os.getpid() % 500
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(1)
        assert x_server_reachable(f":{number}")
        problem = display_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"})
        done = start(env_without_display(QT_QPA_PLATFORM="xcb", DISPLAY=f":{number}", LANG="C"))
    if not missing:
        assert problem is None  # everything Qt needs is installed here
        return
    assert problem is not None
    assert problem.kind == "missing-libraries"
    assert list(problem.libraries) == missing
    assert done.returncode == 1
    assert (
        "sudo apt-get install " + " ".join(XCB_LIBRARIES[name] for name in missing) in done.stderr
    )


def test_a_display_nobody_answers_is_not_a_display() -> None:
    assert not x_server_reachable(":4321")
    assert x_server_reachable("localhost:10.0")  # ssh forwarding: left for Qt to try
    problem = display_problem({"QT_QPA_PLATFORM": "wayland"})
    assert problem is not None
    assert problem.kind == "no-display"


def test_platforms_that_need_no_display_are_let_through() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland;offscreen"}) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) is None
