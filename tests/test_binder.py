"""Binder can build this repository: the Python repo2docker picks can install requirements.txt.

mybinder.org builds a repository with repo2docker. ``repo2docker --no-build --debug <repo>``
prints the Dockerfile it would build without building it (no Docker needed), which says which
Python it picked and how it installs ``requirements.txt``. The pins are then resolved under that
Python with ``pip install --dry-run``, so a pin that Binder's Python cannot satisfy fails here,
not on mybinder.org:

* for the Python that runs these tests (3.11, what ``runtime.txt`` asks for), in a fresh virtual
  environment made from this interpreter, exactly as a reader or Binder would install;
* for another Python (the fixture below, where repo2docker falls back to 3.10 without a
  ``runtime.txt``), with pip's ``--python-version X --only-binary=:all:``, which resolves for a
  Python that is not installed from the wheels published for it. That is the honest way to show
  the failure on a machine without Python 3.10.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
REPO2DOCKER = Path(sys.executable).with_name("repo2docker")
THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

#: repo2docker's log line naming the Python of the image's environment.
PICKED_PYTHON = re.compile(r"Building conda environment for python=(\d+\.\d+)")
INSTALL_REQUIREMENTS = ('${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir '
                        '-r "requirements.txt"')
COPY_REPOSITORY = re.compile(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", re.MULTILINE)


def repo2docker_plan(repo: Path) -> tuple[str, str]:
    """The Python version repo2docker picks for ``repo`` and the Dockerfile it would build."""
    result = subprocess.run([str(REPO2DOCKER), "--no-build", "--debug", str(repo)], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"repo2docker failed:\n{output[-3000:]}"
    found = PICKED_PYTHON.findall(output)
    assert found, f"repo2docker named no Python:\n{output[-3000:]}"
    return found[0], output


def resolve(requirements: Path, python: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """``pip install --dry-run -r requirements`` for Python ``python`` (see the module doc)."""
    if python == THIS_PYTHON:
        env_dir = tmp_path / "fresh-venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        command = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--dry-run"]
    else:
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                   "--python-version", python, "--only-binary=:all:"]
    # The requirements file is read from its own folder, so that its line "-e ." means the repo.
    return subprocess.run([*command, "--quiet", "-r", requirements.name], cwd=requirements.parent,
                          capture_output=True, text=True, timeout=600)


def test_repo2docker_picks_the_python_of_runtime_txt_and_the_tests():
    python, dockerfile = repo2docker_plan(ROOT)
    assert "Python version unspecified" not in dockerfile
    assert (ROOT / "runtime.txt").read_text().strip() == f"python-{python}"
    # The tests run under the Python Binder runs: what CI passes is what a reader gets.
    assert python == THIS_PYTHON


def test_repo2docker_installs_requirements_after_copying_the_repository():
    _, dockerfile = repo2docker_plan(ROOT)
    assert INSTALL_REQUIREMENTS in dockerfile
    # requirements.txt has "-e .", which needs the repository in the image first.
    copy = COPY_REPOSITORY.search(dockerfile)
    assert copy and copy.start() < dockerfile.index(INSTALL_REQUIREMENTS)


def test_requires_python_says_what_is_tested():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    allowed = SpecifierSet(project["requires-python"])
    python, _ = repo2docker_plan(ROOT)
    assert python in allowed and "3.10" not in allowed


@pytest.mark.slow
def test_requirements_resolve_under_binders_python_in_a_fresh_venv(tmp_path):
    python, _ = repo2docker_plan(ROOT)
    result = resolve(ROOT / "requirements.txt", python, tmp_path)
    assert result.returncode == 0, f"requirements.txt does not resolve under Python {python}:\n" \
                                   f"{result.stderr[-3000:]}"


@pytest.mark.slow
def test_a_pin_that_binders_python_cannot_satisfy_fails_the_check(tmp_path):
    # The repository as it was: numpy 2.4.6 (Python >= 3.11) and no runtime.txt.
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("numpy==2.4.6\n")
    python, dockerfile = repo2docker_plan(repo)
    assert python == "3.10" and "Python version unspecified" in dockerfile
    result = resolve(repo / "requirements.txt", python, tmp_path)
    assert result.returncode != 0
    assert "No matching distribution found for numpy==2.4.6" in result.stderr
    # ... and the same pin with runtime.txt resolves, so the failure is the Python, not pip.
    (repo / "runtime.txt").write_text(f"python-{THIS_PYTHON}\n")
    python, _ = repo2docker_plan(repo)
    shutil.rmtree(tmp_path / "fresh-venv", ignore_errors=True)
    assert resolve(repo / "requirements.txt", python, tmp_path).returncode == 0
