

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_role_groups'),
        ('consultations', '0002_official_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='name')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('is_active', models.BooleanField(default=True, verbose_name='offered for new proposals')),
            ],
            options={
                'verbose_name': 'category',
                'verbose_name_plural': 'categories',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='name')),
                ('description', models.CharField(blank=True, max_length=500, verbose_name='description')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('is_active', models.BooleanField(default=True, verbose_name='in use')),
            ],
            options={
                'verbose_name': 'scoring criterion',
                'verbose_name_plural': 'scoring criteria',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Kecamatan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('code', models.CharField(blank=True, max_length=20, verbose_name='code')),
            ],
            options={
                'verbose_name': 'kecamatan',
                'verbose_name_plural': 'kecamatan',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Aspiration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(max_length=5000, verbose_name='description')),
                ('rw', models.CharField(blank=True, max_length=3, verbose_name='RW')),
                ('estimated_cost', models.DecimalField(decimal_places=2, max_digits=15, verbose_name='estimated cost (IDR)')),
                ('beneficiaries', models.PositiveIntegerField(verbose_name='beneficiaries (people)')),
                ('stage', models.CharField(choices=[('kelurahan', 'Kelurahan'), ('kecamatan', 'Kecamatan'), ('kota', 'City (OPD forum / Bappeda)')], default='kelurahan', max_length=10, verbose_name='stage')),
                ('status', models.CharField(choices=[('submitted', 'Submitted'), ('forwarded', 'Forwarded'), ('deferred', 'Deferred'), ('accepted', 'Accepted'), ('merged', 'Merged'), ('rejected', 'Rejected')], default='submitted', max_length=10, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('support_organizations', models.PositiveIntegerField(default=0, verbose_name='supporting organizations')),
                ('support_citizens', models.PositiveIntegerField(default=0, verbose_name='supporting citizens')),
                ('pagu', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='pagu (IDR)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed at')),
                ('first_decision_at', models.DateTimeField(blank=True, null=True, verbose_name='first decision at')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('consultation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='consultations.consultation', verbose_name='consultation')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='consultations.item', verbose_name='RPJMD programme')),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_proposals', to='aspirations.aspiration', verbose_name='merged into')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='accounts.organization', verbose_name='on behalf of')),
                ('category', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='aspirations.category', verbose_name='category')),
                ('kecamatan', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='aspirations.kecamatan', verbose_name='kecamatan')),
            ],
            options={
                'verbose_name': 'aspiration',
                'verbose_name_plural': 'aspirations',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, verbose_name='file name')),
                ('content_type', models.CharField(choices=[('image/png', 'PNG'), ('image/jpeg', 'JPEG'), ('application/pdf', 'PDF')], max_length=30, verbose_name='type')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('sha256', models.CharField(max_length=64)),
                ('data', models.BinaryField()),
                ('added_in_version', models.PositiveIntegerField(default=1)),
                ('removed_in_version', models.PositiveIntegerField(blank=True, null=True)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('aspiration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='aspirations.aspiration')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['aspiration', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('kelurahan', 'Kelurahan'), ('kecamatan', 'Kecamatan'), ('kota', 'City (OPD forum / Bappeda)')], max_length=10, verbose_name='stage')),
                ('outcome', models.CharField(choices=[('forwarded', 'Forwarded to the next stage'), ('accepted', 'Accepted into the plan'), ('merged', 'Merged into another proposal'), ('rejected', 'Rejected'), ('deferred', 'Deferred')], max_length=10, verbose_name='outcome')),
                ('reason', models.TextField(blank=True, max_length=2000, verbose_name='reason')),
                ('pagu', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='pagu (IDR)')),
                ('rank', models.PositiveIntegerField(blank=True, null=True, verbose_name='rank')),
                ('ranked_among', models.PositiveIntegerField(blank=True, null=True)),
                ('score', models.PositiveIntegerField(blank=True, null=True, verbose_name='score')),
                ('support_organizations', models.PositiveIntegerField(default=0)),
                ('support_citizens', models.PositiveIntegerField(default=0)),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided at')),
                ('aspiration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='aspirations.aspiration')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='consultations.item')),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='aspirations.aspiration')),
            ],
            options={
                'verbose_name': 'decision',
                'verbose_name_plural': 'decisions',
                'ordering': ['aspiration', 'decided_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Kelurahan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('kecamatan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kelurahan', to='aspirations.kecamatan', verbose_name='kecamatan')),
            ],
            options={
                'verbose_name': 'kelurahan',
                'verbose_name_plural': 'kelurahan',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AspirationVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='version')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(max_length=5000, verbose_name='description')),
                ('rw', models.CharField(blank=True, max_length=3, verbose_name='RW')),
                ('estimated_cost', models.DecimalField(decimal_places=2, max_digits=15, verbose_name='estimated cost (IDR)')),
                ('beneficiaries', models.PositiveIntegerField(verbose_name='beneficiaries (people)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('aspiration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='aspirations.aspiration')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='aspirations.category')),
                ('kelurahan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='aspirations.kelurahan')),
            ],
            options={
                'verbose_name': 'aspiration version',
                'verbose_name_plural': 'aspiration versions',
                'ordering': ['aspiration', 'number'],
            },
        ),
        migrations.AddField(
            model_name='aspiration',
            name='kelurahan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='aspirations', to='aspirations.kelurahan', verbose_name='kelurahan'),
        ),
        migrations.CreateModel(
            name='OfficialScope',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('kelurahan', 'Kelurahan'), ('kecamatan', 'Kecamatan'), ('kota', 'City (OPD forum / Bappeda)')], max_length=10, verbose_name='stage')),
                ('kecamatan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='aspirations.kecamatan')),
                ('kelurahan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='aspirations.kelurahan')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='aspiration_scope', to=settings.AUTH_USER_MODEL, verbose_name='official')),
            ],
            options={
                'verbose_name': 'stage official',
                'verbose_name_plural': 'stage officials',
                'ordering': ['stage', 'user__username'],
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('kelurahan', 'Kelurahan'), ('kecamatan', 'Kecamatan'), ('kota', 'City (OPD forum / Bappeda)')], max_length=10, verbose_name='stage')),
                ('value', models.PositiveSmallIntegerField(verbose_name='score')),
                ('scored_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('aspiration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='aspirations.aspiration')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='aspirations.criterion')),
                ('scored_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'score',
                'verbose_name_plural': 'scores',
                'ordering': ['aspiration', 'stage', 'criterion'],
            },
        ),
        migrations.CreateModel(
            name='Support',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('aspiration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports', to='aspirations.aspiration')),
                ('cast_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('citizen', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='aspiration_supports', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization')),
                ('via', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='aspirations.aspiration')),
            ],
            options={
                'verbose_name': 'support',
                'verbose_name_plural': 'supports',
                'ordering': ['aspiration', 'created_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='kelurahan',
            constraint=models.UniqueConstraint(fields=('kecamatan', 'name'), name='kelurahan_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='aspirationversion',
            constraint=models.UniqueConstraint(fields=('aspiration', 'number'), name='aspirationversion_unique_number'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['consultation', 'id'], name='aspirations_consult_d96476_idx'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['kecamatan', 'id'], name='aspirations_kecamat_caeee2_idx'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['kelurahan', 'id'], name='aspirations_kelurah_9864db_idx'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['category', 'id'], name='aspirations_categor_84265c_idx'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['stage', 'status', 'id'], name='aspirations_stage_0f3f30_idx'),
        ),
        migrations.AddIndex(
            model_name='aspiration',
            index=models.Index(fields=['status', 'id'], name='aspirations_status_6a59dd_idx'),
        ),
        migrations.AddConstraint(
            model_name='aspiration',
            constraint=models.CheckConstraint(condition=models.Q(('estimated_cost__gte', 0)), name='aspiration_cost_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='aspiration',
            constraint=models.CheckConstraint(condition=models.Q(('pagu__isnull', True), ('pagu__gte', 0), _connector='OR'), name='aspiration_pagu_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='aspiration',
            constraint=models.CheckConstraint(condition=models.Q(('merged_into', models.F('id')), _negated=True), name='aspiration_not_merged_into_itself'),
        ),
        migrations.AddConstraint(
            model_name='officialscope',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kecamatan__isnull', True), ('kelurahan__isnull', False), ('stage', 'kelurahan')), models.Q(('kecamatan__isnull', False), ('kelurahan__isnull', True), ('stage', 'kecamatan')), models.Q(('kecamatan__isnull', True), ('kelurahan__isnull', True), ('stage', 'kota')), _connector='OR'), name='officialscope_area_fits_stage'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(fields=('aspiration', 'criterion', 'stage'), name='score_one_per_criterion'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', 1), ('value__lte', 5)), name='score_between_1_and_5'),
        ),
        migrations.AddIndex(
            model_name='support',
            index=models.Index(fields=['organization', 'aspiration'], name='aspirations_organiz_f2965b_idx'),
        ),
        migrations.AddConstraint(
            model_name='support',
            constraint=models.UniqueConstraint(condition=models.Q(('organization__isnull', False)), fields=('aspiration', 'organization'), name='support_one_per_organization'),
        ),
        migrations.AddConstraint(
            model_name='support',
            constraint=models.UniqueConstraint(condition=models.Q(('citizen__isnull', False)), fields=('aspiration', 'citizen'), name='support_one_per_citizen'),
        ),
        migrations.AddConstraint(
            model_name='support',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('citizen__isnull', False), ('organization__isnull', True)), models.Q(('citizen__isnull', True), ('organization__isnull', False)), _connector='OR'), name='support_organization_or_citizen'),
        ),
    ]
