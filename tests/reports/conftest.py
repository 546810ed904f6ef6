import pytest

from tests.reports.opendata_setup import concluded


@pytest.fixture
def concluded_consultation(official, member, representative, citizen, generous_limits):
    """A concluded consultation with a row in every open-data table (opendata_setup)."""
    return concluded(
        official=official, member=member, representative=representative, citizen=citizen
    )
