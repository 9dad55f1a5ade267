"""The built wheel carries the shipped data, so an installed `cba` finds it."""

import subprocess
import sys
import zipfile

from ..conftest import REPO


def test_wheel_contains_unit_cost_data(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(tmp_path), str(REPO)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    wheel = next(tmp_path.glob("cba_appraisal-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cba/_data/unit_costs/deflators/hmt_gdp_deflator_2026-03.csv" in names
    assert "cba/py.typed" in names
    assert "cba/engine/_evaluate.py" in names and "cba/model/data/agency_groups.yaml" in names
