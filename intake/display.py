"""Can the window start here? Checked before Qt is loaded, because Qt cannot say so itself:
without a display, or without a system library its xcb platform plugin needs, it aborts the
whole process (exit 134) with a line of its own jargon. We look first and explain.

Linux and the other X11/Wayland systems only: Windows and macOS always have their platform
plugin, and a bundle or wheel carries it.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The system libraries Qt's xcb plugin loads (from `ldd` over the plugin and libQt6XcbQpa in
# the PySide6 wheel), with the Debian and Ubuntu package that provides each.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
# Platforms that need no display of their own (tests, kiosks on a framebuffer, remote access).
NO_DISPLAY_NEEDED = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


@dataclass(frozen=True)
class DisplayProblem:
    kind: str  # "no-display" (none set, or none answering) or "missing-libraries"
    platform: str  # the Qt platform plugin that would have failed: xcb or wayland
    libraries: tuple[str, ...] = ()  # for missing-libraries: the file names not found

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(XCB_LIBRARIES.get(name, name) for name in self.libraries)


def _platforms(env: dict[str, str] | os._Environ[str]) -> list[str]:
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested:
        # "wayland;xcb" is a list to try in order; "xcb:option=value" carries options.
        return [name.split(":")[0].strip() for name in requested.split(";") if name.strip()]
    wayland = env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland"
    return ["wayland", "xcb"] if wayland else ["xcb"]


def _missing(name: str) -> bool:
    import ctypes  # noqa: PLC0415 - here and below: only on the X11 path, not every start

    try:
        ctypes.CDLL(name)
    except OSError:
        return True
    return False


def _xcb_plugin() -> Path | None:
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def x_server_reachable(display: str) -> bool:
    """A local X display (":0", "unix:1.0") is a socket; anything else (ssh's "localhost:10")
    cannot be checked cheaply and is left for Qt to try."""
    import socket  # noqa: PLC0415

    local = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if local is None:
        return True
    path = f"/tmp/.X11-unix/X{local.group(1)}"
    for address in (path, "\0" + path):  # the file, then Linux's abstract socket
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1)
            try:
                probe.connect(address)
            except OSError:
                continue
            return True
    return False


def missing_xcb_libraries() -> tuple[str, ...]:
    missing = [name for name in XCB_LIBRARIES if _missing(name)]
    if not missing and (plugin := _xcb_plugin()) is not None:
        import ctypes  # noqa: PLC0415

        # Anything the list above does not know: the system loader names the first one.
        try:
            ctypes.CDLL(str(plugin))
        except OSError as exc:
            missing.append(str(exc).split(":")[0].strip())
    return tuple(missing)


def display_problem(env: dict[str, str] | os._Environ[str] | None = None) -> DisplayProblem | None:
    """None if the window can start, else why not. Only the first workable platform counts."""
    if sys.platform in {"win32", "darwin"}:
        return None
    env = os.environ if env is None else env
    problem: DisplayProblem | None = None
    for platform in _platforms(env):
        if platform in NO_DISPLAY_NEEDED:
            return None
        if platform == "wayland":
            if env.get("WAYLAND_DISPLAY"):
                return None
            problem = problem or DisplayProblem("no-display", "wayland")
        elif platform == "xcb":
            if not env.get("DISPLAY"):
                problem = problem or DisplayProblem("no-display", "xcb")
                continue
            if missing := missing_xcb_libraries():
                problem = DisplayProblem("missing-libraries", "xcb", missing)
                continue
            if not x_server_reachable(env["DISPLAY"]):
                problem = problem or DisplayProblem("no-display", "xcb")
                continue
            return None
        else:
            return None  # a platform we do not know: let Qt try it
    return problem
