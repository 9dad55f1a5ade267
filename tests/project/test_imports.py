"""Lazy imports: ``import cba`` and ``cba --version`` load none of the heavy libraries
and do not read the installed package's metadata; each public name still resolves.

Each check runs in a fresh interpreter and inspects its ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest

import cba

from ..conftest import REPO

HEAVY = ("pandas", "scipy", "matplotlib", "openpyxl", "importlib.metadata")


def loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; which of the heavy modules it loaded."""
    probe = (f"import sys\n{code}\nimport json\n"
             f"print(json.dumps({{m: m in sys.modules for m in {HEAVY!r} + ('numpy', 'pydantic')}}))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_import_cba_loads_no_heavy_library():
    loaded = loaded_after("import cba\nassert cba.__version__")
    assert not any(loaded[m] for m in HEAVY), loaded
    assert not loaded["numpy"] and not loaded["pydantic"], loaded


def test_version_option_loads_no_heavy_library():
    code = ("import contextlib, io\nfrom cba.cli._main import main\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            "    try:\n        main(['--version'])\n    except SystemExit as exc:\n        assert exc.code == 0\n"
            "assert out.getvalue().strip() == 'cba ' + __import__('cba').__version__, out.getvalue()")
    loaded = loaded_after(code)
    assert not any(loaded[m] for m in HEAVY), loaded


def test_version_is_the_installed_packages():
    assert cba.__version__ == version("cba-appraisal")


def test_an_appraisals_metrics_need_no_pandas():
    loaded = loaded_after("import cba\na = cba.appraise('examples/worked_example.yaml')\n"
                          "assert a.metrics['pv_costs'] > 0 and a.totals is a.totals")
    assert not any(loaded[m] for m in ("pandas", "scipy", "matplotlib", "openpyxl")), loaded


def test_cba_appraise_prints_its_summary_without_pandas():
    code = ("import contextlib, io\nfrom cba.cli._main import main\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            "    assert main(['appraise', 'examples/family_key_worker.yaml']) == 0\n"
            "assert 'Who pays and who saves' in out.getvalue()")
    loaded = loaded_after(code)
    assert not any(loaded[m] for m in ("pandas", "scipy", "matplotlib", "openpyxl")), loaded


def test_views_that_need_pandas_import_it_themselves():
    loaded = loaded_after("import cba\na = cba.appraise('examples/worked_example.yaml')\n"
                          "assert len(a.by_agency()) == 2 and len(a.ledger)")
    assert loaded["pandas"]


@pytest.mark.parametrize("name", cba.__all__)
def test_every_public_name_resolves(name):
    assert getattr(cba, name) is not None
    assert name in dir(cba)


def test_subpackages_are_attributes():
    loaded_after("import cba\nassert callable(cba.engine.compile_model) and callable(cba.ledger.appraise)\n"
                 "assert callable(cba.uncertainty.montecarlo) and callable(cba.outputs.tables.summary_table)")


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cba.nope  # noqa: B018


def test_cba_compare_is_the_function_even_after_its_module_is_imported():
    code = ("import cba, cba.ledger._compare\nfrom cba.ledger import Comparison\n"
            "assert callable(cba.compare) and cba.compare is cba.ledger._compare.compare, cba.compare\n"
            "assert cba.Comparison is Comparison")
    loaded_after(code)
