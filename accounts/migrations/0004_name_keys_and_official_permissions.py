"""Fill the look-alike key of existing organization names, and let officials read the new
records in the admin.

Where two existing organizations already read the same, the older one keeps the key and
the other stays without one until it is renamed (no name is changed behind anyone's back).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.names import skeleton

OFFICIAL_VIEW = ["view_invitation", "view_organizationchange"]
# Memberships change only through invitations and the services' removal.
OFFICIAL_REVOKE = ["add_membership", "change_membership", "delete_membership"]


def fill_name_keys(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    taken = set()
    for organization in Organization.objects.order_by("pk"):
        key = skeleton(organization.name)
        if key in taken:
            continue
        taken.add(key)
        Organization.objects.filter(pk=organization.pk).update(name_key=key)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    officials, _ = Group.objects.get_or_create(name="officials")
    accounts = Permission.objects.filter(content_type__app_label="accounts")
    officials.permissions.add(*accounts.filter(codename__in=OFFICIAL_VIEW))
    officials.permissions.remove(*accounts.filter(codename__in=OFFICIAL_REVOKE))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_invitations_changes_name_key"),
        ("consultations", "0002_official_permissions"),
    ]

    operations = [
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
