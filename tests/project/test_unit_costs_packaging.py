"""An installed wheel finds the shipped unit cost data (through ``cba.method._deflators.data_dir``)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("gmca_unit_cost_database_v1.4.csv", "gmca_unit_cost_database_v1.4_notes.csv",
           "deflators/gmca_v1_4_lookups.csv", "supplementary_unit_costs.csv", "README.md")


def test_installed_wheel_resolves_codes_from_its_own_data(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(REPO)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("cba_appraisal-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in SHIPPED:
        assert f"cba/_data/unit_costs/{rel}" in names, rel
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import cba, cba.method._deflators as d, cba.unit_costs as u;"
            "print(cba.__file__); print(d.data_dir());"
            "print(len(u.default()), u.default()['E&E1.0'].economic.value, d.get('gmca_v1_4').last_year)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(target)})
    assert run.returncode == 0, run.stderr
    where, data, result = run.stdout.splitlines()
    assert where.startswith(str(target)) and data == str(target / "cba" / "_data" / "unit_costs")
    assert result == "684 14044.0 2019/20"
