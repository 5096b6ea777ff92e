"""Every notebook that imports the course package starts with the set-up cell, and the
cell works where the package is missing, as on Colab."""

import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

from ci import setup_cell
from tests.conftest import ROOT

NOTEBOOKS = setup_cell.notebooks()


def test_the_notebooks_that_need_it_are_found():
    names = {p.name for p in NOTEBOOKS}
    assert {"ch03_vanilla_rnn.ipynb", "assignment2_expected_losses.ipynb"} <= names
    assert sum(p.parts[-3] == "exercises" for p in NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parts[-2]}/{p.name}")
def test_notebook_starts_with_the_setup_cell(path):
    assert not setup_cell.problems(path), setup_cell.problems(path)


def test_one_place_names_the_repository_and_release():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    repository, release = setup_cell.settings()
    assert release == "v" + pyproject["project"]["version"], \
        "the release tag the set-up cell pins must be the package's version"
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"] == repository, \
        "_config.yml's repository (the book's buttons) and pyproject's [tool.rnnbook] differ"


@pytest.mark.slow
def test_setup_cell_installs_the_package_where_it_is_missing(tmp_path):
    """A Colab-like Python: the course's dependencies are there (Colab ships NumPy,
    TensorFlow and Matplotlib), rnnbook is not. The set-up cell of an exercise, pointed
    at a clone of this checkout tagged with the release, must install it so that the
    exercise's imports run."""
    repository, release = setup_cell.settings()
    clone = tmp_path / "repository"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "tag", "--force", release], check=True,
                   capture_output=True)
    venv = tmp_path / "colab"
    # No pip of its own: the course environment's (recent, as on Colab) is reached
    # through the path line below; the pip that venv bundles with Python 3.11 cannot
    # parse a `name @ git+file://` requirement.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The course environment's packages, but not its .pth files: those make the
    # checkout's rnnbook importable (an editable install); a path line does not.
    # Colab, likewise, has NumPy, TensorFlow, Matplotlib and pip, and no rnnbook.
    ours = sysconfig.get_paths()["purelib"]
    (Path(site) / "preinstalled.pth").write_text(ours + "\n")
    missing = subprocess.run([python, "-c", "import numpy, tensorflow; import rnnbook"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert "No module named 'rnnbook'" in missing.stderr, missing.stderr[-2000:]

    exercise = nbformat.read(ROOT / "exercises" / "assignment2_expected_losses"
                             / "assignment2_expected_losses.ipynb", as_version=4)
    code = [c.source for c in exercise.cells if c.cell_type == "code"]
    assert code[0] == setup_cell.source()
    local = setup_cell.source(repository=f"file://{clone}")
    script = local + "\n\n" + code[1] + "\nprint('imported', rnnbook.__file__)\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    ran = subprocess.run([python, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=600)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"imported {venv}" in ran.stdout, ran.stdout
