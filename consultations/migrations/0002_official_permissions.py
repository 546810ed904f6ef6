"""Officials work in the Django admin: give their group the model permissions it needs.

Users still need is_staff to enter the admin (load_demo sets it for the demo officials;
docs/DEPLOY.md explains it for real accounts).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICIAL_PERMISSIONS = {
    "accounts": {
        "agency": ["add", "change", "view"],
        "organization": ["change", "view"],
        "membership": ["add", "change", "delete", "view"],
    },
    "consultations": {
        "consultation": ["add", "change", "view"],
        "draftversion": ["add", "change", "view"],
        "section": ["add", "change", "delete", "view"],
        "item": ["add", "change", "delete", "view"],
    },
    "auth": {"user": ["view"]},
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officials, _ = Group.objects.get_or_create(name="officials")
    for app_label, models in OFFICIAL_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            officials.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="officials"):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_role_groups"),
        ("consultations", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
