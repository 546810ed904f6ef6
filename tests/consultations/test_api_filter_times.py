import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    ["0531-10-13T08:35:59+16:18", "2026-11-28T09:00:00-15:30", "2026-11-28T09:00:00+07:00"],
)
def test_time_filters_with_any_valid_iso_offset_answer_without_a_server_error(
    api_as, open_consultation, value
):
    """Python accepts offsets up to ±23:59, PostgreSQL only ±15:59: filters compare in UTC."""
    response = api_as(None).get("/api/v1/consultations/", {"closes_after": value})

    assert response.status_code == 200
