from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture
def worked_example_path() -> Path:
    return EXAMPLES / "worked_example.yaml"
