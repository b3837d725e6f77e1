"""The tool as a user installs it: a wheel in a fresh venv, run from a directory outside the checkout.

The wheel is built here with hatchling (no build isolation, no network) and installed without
its dependencies; the fresh venv reaches the dependencies through a .pth line naming this
venv's site-packages (a plain path entry: the editable install's own .pth there is not run),
so `kg` itself can only come from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Written by hand from seeds/icmlpo.wiki: the parties in all five attendance tables.
EVERY_CONFERENCE = {
    "乌拉圭革命共产党",
    "刚果革命组织",
    "劳工革命组织",
    "卢森堡共产主义组织",
    "土耳其共产党/马列",
    "孟加拉国工人党",
    "希腊共产主义组织",
    "德国马列主义党",
    "菲律宾共产党",
    "阿富汗马列主义组织",
    "阿根廷革命共产党",
    "马列主义共产主义组织－无产阶级道路",
    "马列主义者团体/红色黎明",
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-t", "sdist", "-d", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return root


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_carries_the_data_files_and_the_licence(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/data/ontology/shapes.ttl", "kg/data/ontology/kg.ttl", "kg/data/ontology/context.jsonld"} <= names
    assert "kg/data/queries/attended-every-conference.rq" in names
    assert "kg/lexicon/headings.toml" in names
    assert {"kg/templates/party.html", "kg/templates/home.html"} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert wheel.name.startswith("kg_internationals-")


def test_the_sdist_carries_the_licence_and_the_data(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "pyproject.toml", "ontology/shapes.ttl", "queries/members.rq", "seeds/icmlpo.wiki"} <= names


def test_the_installed_tool_runs_the_main_job_from_another_directory(venv: Path, tmp_path: Path) -> None:
    where = _run(venv, tmp_path, "python", "-c", "import kg, kg.resources as r; print(kg.__file__, r.QUERIES_DIR)")
    assert where.stdout.split() == [
        str(next(venv.glob("lib/python*/site-packages/kg/__init__.py"))),
        str(next(venv.glob("lib/python*/site-packages/kg/data/queries"))),
    ]
    built = _run(venv, tmp_path, "kg", "build", str(REPO / "seeds"), "--out", "out")
    assert built.returncode == 0, built.stderr
    assert "SHACL validation: conforms" in built.stdout
    checked = _run(venv, tmp_path, "kg", "validate", "out/kg.ttl")
    assert checked.returncode == 0, checked.stderr
    listed = _run(venv, tmp_path, "kg", "queries")
    assert "attended-every-conference: " in listed.stdout
    answer = _run(
        venv, tmp_path, "kg", "query", "attended-every-conference", "--param", "international=ICMLPO", "--format", "csv"
    )
    assert answer.returncode == 0, answer.stderr
    labels = {line.split(",")[1] for line in answer.stdout.splitlines()[1:]}
    assert labels == EVERY_CONFERENCE


def test_version_and_python_dash_m(venv: Path, tmp_path: Path) -> None:
    from kg import __version__  # noqa: PLC0415 - the checkout's version, which the wheel must carry

    assert _run(venv, tmp_path, "kg", "--version").stdout == f"kg {__version__}\n"
    assert _run(venv, tmp_path, "python", "-m", "kg", "--version").stdout == f"kg {__version__}\n"
