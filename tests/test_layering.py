"""The layers of lerbook: physics never imports plotting or widget libraries."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import lerbook

#: Every physics module and subpackage module, found rather than listed: everything in lerbook
#: outside the plotting and explore layers.
PHYSICS = sorted(info.name for info in pkgutil.walk_packages(lerbook.__path__, "lerbook.")
                 if info.name.split(".")[1] not in ("plotting", "explore"))


def test_discovery_sees_the_subpackages():
    assert {"lerbook.units", "lerbook.ions.blinking", "lerbook.fitting.curves"} <= set(PHYSICS)


def test_physics_modules_import_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys\n"
        f"for name in {PHYSICS!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_readme_layout_names_every_physics_module():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    for name in PHYSICS:
        parts = name.split(".")[1:]
        shown = f"{parts[0]}/" if len(parts) > 1 or _is_package(name) else f"{parts[0]}.py"
        assert shown in layout, f"README's layout does not name {name} ({shown})"
        if len(parts) > 1:
            assert f"{parts[1]}.py" in layout, f"README's layout does not name {name}"


def _is_package(name: str) -> bool:
    return hasattr(importlib.import_module(name), "__path__")
