"""Notifications are made by a job queued when the action commits. Tests run the action
inside `committed(...)`, which runs the on-commit callbacks (and Huey runs jobs inline in
tests), so each test sees what a person would see once the job has run."""

import pytest
from huey.contrib.djhuey import HUEY

from notifications.models import Notification


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(service, **kwargs) -> its result, with the notification jobs done."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _empty_queue():
    """Huey's in-memory queue (tests run jobs inline) keeps retries scheduled between
    tests; each test starts with none."""
    HUEY.flush()
    yield
    HUEY.flush()


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))
