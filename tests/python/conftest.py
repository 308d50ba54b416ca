"""conftest.py — what the Python tests share: the data folder, the `nasflat` command (for
comparisons with the CLI), and the tiny predictor of README "Follow one prediction", made by
the CLI once per session.

Run: scripts/test.sh, or by hand after a build with -DNASFLAT_PYTHON=ON:
  PYTHONPATH=build/python NASFLAT_BIN=build/nas/cli/nasflat python -m pytest tests/python
Tests that need the data folder skip without one ($NASFLAT_DATA, else ../shared/data).
"""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NB201_ARCH = ("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
              "skip_connect~1|skip_connect~2|")


def _data_dir():
    env = os.environ.get("NASFLAT_DATA")
    if env and (Path(env) / "manifest.json").exists():
        return env
    shared = REPO.parent / "shared" / "data"
    return str(shared) if (shared / "manifest.json").exists() else None


@pytest.fixture(scope="session")
def data_dir():
    d = _data_dir()
    if d is None:
        pytest.skip("no data folder ($NASFLAT_DATA or ../shared/data)")
    os.environ["NASFLAT_DATA"] = d
    return d


@pytest.fixture(scope="session")
def cli():
    """Runs the `nasflat` command: cli("predict", ...) -> CompletedProcess (text)."""
    binary = os.environ.get("NASFLAT_BIN")
    if not binary:
        for build in ("build", "build-cpu"):
            if (REPO / build / "nas" / "cli" / "nasflat").exists():
                binary = str(REPO / build / "nas" / "cli" / "nasflat")
                break
    if not binary or not Path(binary).exists():
        pytest.fail("the nasflat command is not built; set NASFLAT_BIN")

    def run(*args, check=True, stdin=None):
        r = subprocess.run([binary, *map(str, args)], capture_output=True, text=True,
                           input=stdin)
        if check and r.returncode != 0:
            raise AssertionError(f"nasflat {' '.join(map(str, args))}: {r.stderr}")
        return r
    return run


@pytest.fixture(scope="session")
def tiny(tmp_path_factory, data_dir, cli):
    """The README's tiny NB201 predictor: pre.ckpt, m.json (8 pixel2 samples), pixel2.ckpt."""
    d = tmp_path_factory.mktemp("tiny")
    cli("pretrain", "--space", "nb201", "--devices", "1080ti_1,pixel3", "--source-samples", 30,
        "--epochs", 1, "--out", d / "pre.ckpt")
    cli("sample", "--space", "nb201", "--count", 8, "--sampler", "kmeancosine", "--fill-from",
        "pixel2", "--seed", 3, "--out", d / "m.json")
    cli("transfer", "--checkpoint", d / "pre.ckpt", "--measurements", d / "m.json", "--name",
        "pixel2", "--epochs", 2, "--folds", 2, "--out", d / "pixel2.ckpt")
    return d


def cli_error(result):
    """The message of the CLI's error line (stderr may also hold notes, e.g. no GPU found)."""
    prefix = "nasflat: error: "
    lines = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    return lines[0][len(prefix):]
