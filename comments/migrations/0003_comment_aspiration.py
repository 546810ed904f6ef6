import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0001_initial"),
        ("comments", "0002_comment_body_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="aspiration",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="aspirations.aspiration",
            ),
        ),
    ]
