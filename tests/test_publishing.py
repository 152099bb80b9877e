"""Where the book lives and how it is published: one setting, the Pages workflow, a course hub.

- ``repository.url`` and ``repository.branch`` in ``_config.yml`` are the one setting: the
  README names the same address, and the book's pages take it from the configuration.
- The GitHub Pages workflow runs the README's own build command and deploys ``_build/html``.
- A build with ``launch_buttons.jupyterhub_url`` set gives every chapter an nbgitpuller link to
  the right repository, branch and notebook, and the instructors' page shows the link to paste.
- ``make lab`` starts JupyterLab as root too.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]["url"]
BRANCH = CONFIG["repository"]["branch"]
README = (ROOT / "README.md").read_text()
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
GITHUB_REPOSITORY = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")
HUB = "https://hub.example.org"


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_extension():
    spec = importlib.util.spec_from_file_location("lerbook_site", ROOT / "_ext" / "lerbook_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chapter_notebooks():
    """The notebooks of the table of contents, as paths relative to the repository."""
    files = re.findall(r"file: (\S+)", (ROOT / "_toc.yml").read_text())
    return [f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").is_file()]


def readme_build_command() -> str:
    """The first command of the README's first shell block: how the website is built."""
    block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    return block.splitlines()[0].split("#")[0].strip()


def test_the_configured_repository_is_a_github_repository_and_branch():
    # (https://github.com/your-account/... is the placeholder until the book has a real home)
    assert GITHUB_REPOSITORY.fullmatch(REPOSITORY) and BRANCH


def test_the_readme_names_the_configured_repository_and_binder_link():
    named = set(GITHUB_REPOSITORY.findall(README))
    assert named == {REPOSITORY}, f"the README names {named}, _config.yml says {REPOSITORY}"
    owner, name = urlsplit(REPOSITORY).path.strip("/").split("/")
    binder = f"https://mybinder.org/v2/gh/{owner}/{name}/{BRANCH}?urlpath=lab/tree/book"
    assert binder in README


def test_the_book_pages_take_the_repository_from_the_configuration():
    for page in sorted((ROOT / "book").rglob("*.md")):
        text = page.read_text()
        stale = [url for url in GITHUB_REPOSITORY.findall(text) if "lattice-energy" in url]
        assert not stale, f"{page.name} writes the address {stale}: use {{{{ repository_url }}}}"
    for page in ("cite", "instructors"):
        assert "{{ repository_url }}" in (ROOT / "book" / f"{page}.md").read_text()


def test_the_pages_workflow_runs_the_readme_build_command_and_deploys_the_website():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert BRANCH in triggers["push"]["branches"]
    steps = workflow["jobs"]["build"]["steps"]
    assert [step["run"].strip() for step in steps if "run" in step] == [readme_build_command()]
    assert readme_build_command() == "make book"
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert any("deploy-pages" in step.get("uses", "")
               for step in workflow["jobs"]["deploy"]["steps"])
    # The container is the system the tests run on: Debian 12, the Python of runtime.txt.
    python = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    assert workflow["jobs"]["build"]["container"] == f"python:{python}-bookworm"


def test_nbgitpuller_link_is_the_themes_form():
    link = site_extension().nbgitpuller_link(HUB, REPOSITORY, "assessed", "book/ch01_cooling.ipynb")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{HUB}/hub/user-redirect/git-pull"
    name = REPOSITORY.rsplit("/", 1)[-1]
    assert parse_qs(parts.query) == {"repo": [REPOSITORY], "branch": ["assessed"],
                                     "urlpath": [f"lab/tree/{name}/book/ch01_cooling.ipynb"]}


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory):
    """The website built with a course hub configured (notebooks not re-executed)."""
    out = tmp_path_factory.mktemp("hub-build")
    config = load_tool("book_pdf").derived_config(
        ROOT, out / "_config_hub.yml", execute=False, launch_buttons={"jupyterhub_url": HUB})
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "--config", str(config),
               "--path-output", str(out), "-W", "-n", "--keep-going"]
    env = dict(os.environ, LERBOOK_STATIC="1", MPLBACKEND="Agg")
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build" / "html"


def hrefs(page: Path) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page.read_text())]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", chapter_notebooks())
def test_every_chapter_launches_on_the_configured_hub_with_nbgitpuller(hub_site, notebook):
    page = hub_site / Path(notebook).with_suffix(".html")
    pulls = [h for h in hrefs(page) if "/hub/user-redirect/git-pull" in h]
    assert len(pulls) == 1, f"{page.name}: JupyterHub launch links {pulls}"
    parts = urlsplit(pulls[0])
    assert pulls[0].startswith(f"{HUB}/hub/user-redirect/git-pull?")
    name = REPOSITORY.rsplit("/", 1)[-1]
    assert parse_qs(parts.query) == {"repo": [REPOSITORY], "branch": [BRANCH],
                                     "urlpath": [f"lab/tree/{name}/{notebook}"]}


@pytest.mark.slow
def test_the_instructors_page_shows_the_hub_link_to_paste(hub_site):
    text = html.unescape((hub_site / "book" / "instructors.html").read_text())
    link = site_extension().nbgitpuller_link(HUB, REPOSITORY, BRANCH, "book")
    assert link in text
    cite = html.unescape((hub_site / "book" / "cite.html").read_text())
    assert REPOSITORY in cite and "{{ " not in cite  # every {{ name }} was replaced


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_starts_jupyterlab_as_root_too(tmp_path):
    port, token = _free_port(), secrets.token_hex(8)
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    log = (tmp_path / "lab.log").open("w")
    lab = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                           env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                            timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert lab.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "lab.log").read_text()[-3000:]
                time.sleep(0.5)
        if os.geteuid() == 0:
            assert "--allow-root" in (tmp_path / "lab.log").read_text()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)  # make and the JupyterLab it started
        lab.wait(timeout=30)
        log.close()
