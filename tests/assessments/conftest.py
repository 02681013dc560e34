import pytest

from assessments.frameworks import load_all
from assessments.models import FrameworkEdition


@pytest.fixture
def editions(db):
    """Every framework edition, keyed by fiscal year (migrate installs them; ``load_all`` refreshes them)."""
    load_all()
    return {e.fiscal_year: e for e in FrameworkEdition.objects.all()}
