"""The lists officials keep (categories, scoring criteria) and who decides at which stage
(an administrator assigns each official one stage and area)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from aspirations import permissions, validation
from aspirations.models import Category, Criterion, Kecamatan, Kelurahan, OfficialScope, Stage
from backend.errors import Conflict, Invalid, require


def _name(value, *, limit: int) -> str:
    return validation.text(value, field="name", limit=limit, required=True, label=_("The name"))


def category_create(*, actor, name: str, position: int = 0) -> Category:
    require(permissions.can_manage_lists(actor), _("Only officials keep the list of categories."))
    name = _name(name, limit=150)
    with transaction.atomic():
        if Category.objects.filter(name__iexact=name).exists():
            raise Conflict(_("This category already exists."), field="name")
        return Category.objects.create(name=name, position=max(0, int(position or 0)))


def category_update(
    *, actor, category: Category, name: str | None = None, is_active: bool | None = None
) -> Category:
    require(permissions.can_manage_lists(actor), _("Only officials keep the list of categories."))
    return _entry_update(
        category, name=name, is_active=is_active, taken=_("This category already exists.")
    )


def _entry_update(entry, *, name, is_active, taken: str):
    """Rename (unique whatever the case) or (de)activate a category or criterion, locked."""
    model = type(entry)
    with transaction.atomic():
        entry = model.objects.select_for_update().get(pk=entry.pk)
        if name is not None:
            name = _name(name, limit=150)
            if model.objects.filter(name__iexact=name).exclude(pk=entry.pk).exists():
                raise Conflict(taken, field="name")
            entry.name = name
        if is_active is not None:
            entry.is_active = bool(is_active)
        entry.save()
    return entry


def criterion_create(*, actor, name: str, description: str = "", position: int = 0) -> Criterion:
    require(permissions.can_manage_lists(actor), _("Only officials set the scoring criteria."))
    name = _name(name, limit=150)
    description = validation.text(
        description, field="description", limit=500, required=False, label=_("The description")
    )
    with transaction.atomic():
        if Criterion.objects.filter(name__iexact=name).exists():
            raise Conflict(_("This criterion already exists."), field="name")
        return Criterion.objects.create(
            name=name, description=description, position=max(0, int(position or 0))
        )


def criterion_update(
    *, actor, criterion: Criterion, name: str | None = None, is_active: bool | None = None
) -> Criterion:
    require(permissions.can_manage_lists(actor), _("Only officials set the scoring criteria."))
    return _entry_update(
        criterion, name=name, is_active=is_active, taken=_("This criterion already exists.")
    )


def official_scope_set(
    *, actor, user, stage: str, kecamatan: Kecamatan | None = None, kelurahan=None
) -> OfficialScope:
    """Give an official authority for one stage (and area): a kelurahan's, a kecamatan's, or
    the city's. Only an administrator does; a scope replaces the official's previous one."""
    require(
        permissions.can_assign_scopes(actor),
        _("Only an administrator decides who decides at which stage."),
    )
    if not accounts_permissions.is_official(user) or user.is_superuser:
        raise Invalid(_("Only officials get a Musrenbang stage."), field="user")
    if stage not in Stage.values:
        raise Invalid(_("Choose a stage: kelurahan, kecamatan or kota."), field="stage")
    if stage == Stage.KELURAHAN:
        if not isinstance(kelurahan, Kelurahan):
            raise Invalid(_("A kelurahan official needs a kelurahan."), field="kelurahan")
        kecamatan = None
    elif stage == Stage.KECAMATAN:
        if not isinstance(kecamatan, Kecamatan):
            raise Invalid(_("A kecamatan official needs a kecamatan."), field="kecamatan")
        kelurahan = None
    else:
        kecamatan = kelurahan = None
    with transaction.atomic():
        scope, _created = OfficialScope.objects.update_or_create(
            user=user, defaults={"stage": stage, "kecamatan": kecamatan, "kelurahan": kelurahan}
        )
    if hasattr(user, "_aspiration_scope"):
        del user._aspiration_scope
    return scope


def official_scope_clear(*, actor, user) -> None:
    require(
        permissions.can_assign_scopes(actor),
        _("Only an administrator decides who decides at which stage."),
    )
    with transaction.atomic():
        OfficialScope.objects.filter(user=user).delete()
    if hasattr(user, "_aspiration_scope"):
        del user._aspiration_scope
