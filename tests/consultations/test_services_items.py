from decimal import Decimal

import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from consultations import services
from consultations.models import Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_official_adds_an_rpjmd_programme_to_a_draft(official, draft_consultation):
    item = services.item_add(
        actor=official,
        consultation=draft_consultation,
        title="Program Pengelolaan Persampahan",
        code="1.03.10",
        programme_path="Misi 3 › Sasaran 3.2",
        indicators=["Sampah terkelola (%)"],
        budget_ceiling=Decimal("4200000000.00"),
    )
    assert item.position == 1
    assert item.budget_ceiling == Decimal("4200000000.00")


@pytest.mark.parametrize(
    "fields",
    [
        {"title": " "},
        {"title": "X", "budget_ceiling": Decimal("-1")},
        {"title": "X", "indicators": "bukan daftar"},
        {"title": "X", "colour": "merah"},
    ],
)
def test_invalid_items_are_refused(official, draft_consultation, fields):
    with pytest.raises(Invalid):
        services.item_add(actor=official, consultation=draft_consultation, **fields)
    assert not Item.objects.exists()


def test_items_freeze_when_the_consultation_opens(official, open_consultation):
    item = open_consultation.items.get()
    with pytest.raises(Conflict):
        services.item_add(actor=official, consultation=open_consultation, title="Baru")
    with pytest.raises(Conflict):
        services.item_update(actor=official, item=item, title="Ubah")
    with pytest.raises(Conflict):
        services.item_delete(actor=official, item=item)
    item.refresh_from_db()
    assert item.title == "Rancangan secara keseluruhan"


def test_draft_items_are_edited_and_deleted(official, draft_consultation):
    item = ItemFactory(consultation=draft_consultation)
    services.item_update(actor=official, item=item, code="2.01", position=5)
    item.refresh_from_db()
    assert (item.code, item.position) == ("2.01", 5)
    services.item_delete(actor=official, item=item)
    assert not Item.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("persona", ["planner", "moderator", "representative", "citizen"])
def test_only_officials_manage_items(request, persona, draft_consultation):
    actor = request.getfixturevalue(persona)
    item = ItemFactory(consultation=draft_consultation)
    with pytest.raises(NotAllowed):
        services.item_add(actor=actor, consultation=draft_consultation, title="X")
    with pytest.raises(NotAllowed):
        services.item_delete(actor=actor, item=item)
    assert Item.objects.count() == 1
