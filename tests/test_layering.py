"""The layers of lerbook: physics never imports plotting or widget libraries."""

import subprocess
import sys

PHYSICS = ["materials", "excitation", "reservoir", "recombination", "fitting", "cooling",
           "spectra", "units"]


def test_physics_modules_import_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys\n"
        f"for name in {PHYSICS!r}:\n"
        "    __import__('lerbook.' + name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
