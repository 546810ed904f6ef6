"""Written submissions (paper forms, letters, e-mails) typed in by officials and planners:
a channel, the sender's reference, the name and organization as written; no account."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_reports_by_organization_and_trusted_flaggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="author_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name as written"),
        ),
        migrations.AddField(
            model_name="comment",
            name="channel",
            field=models.CharField(
                choices=[
                    ("online", "Online"),
                    ("form", "Paper form"),
                    ("letter", "Letter"),
                    ("email", "E-mail"),
                ],
                default="online",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="external_ref",
            field=models.CharField(blank=True, max_length=100, verbose_name="reference"),
        ),
        migrations.AddField(
            model_name="comment",
            name="organization_name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="organization as written"
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_ref", ""), _negated=True),
                fields=("consultation", "external_ref"),
                name="comment_external_ref_once",
            ),
        ),
    ]
