import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ALL = [
    getattr(factories, name)
    for name in dir(factories)
    if name.endswith("Factory")
    and name != "UserFactory"
    and hasattr(getattr(factories, name), "_meta")
]


@pytest.mark.parametrize("factory_class", ALL, ids=lambda f: f.__name__)
def test_every_factory_builds_a_saved_row(factory_class):
    instance = factory_class()
    assert instance.pk is not None
    assert str(instance)
