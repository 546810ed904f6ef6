"""Officials keep the categories and scoring criteria in the admin, and read proposals there.
Who decides at which stage (OfficialScope) is set by a superuser only: no permission here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICIAL_PERMISSIONS = {
    "category": ["add", "change", "view"],
    "criterion": ["add", "change", "view"],
    "aspiration": ["view"],
    "kecamatan": ["view"],
    "kelurahan": ["view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("aspirations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officials, _ = Group.objects.get_or_create(name="officials")
    for model, actions in OFFICIAL_PERMISSIONS.items():
        officials.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="aspirations",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="officials"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="aspirations")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_role_groups"),
        ("aspirations", "0002_kota_pasuruan_areas"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
