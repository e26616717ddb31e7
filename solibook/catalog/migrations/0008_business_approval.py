from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_pictures_renditions_cover_master_photos'),
    ]

    operations = [
        migrations.AddField(
            model_name='business',
            name='approval_status',
            field=models.CharField(choices=[('draft', 'Being set up'), ('pending', 'Waiting for approval'), ('approved', 'Approved'), ('rejected', 'Changes requested')], default='approved', max_length=10, verbose_name='approval'),
        ),
        migrations.AddField(
            model_name='business',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='submitted for approval at'),
        ),
        migrations.AddField(
            model_name='business',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='approved at'),
        ),
        migrations.AddField(
            model_name='business',
            name='approval_note',
            field=models.CharField(blank=True, max_length=500, verbose_name="operator's note"),
        ),
        migrations.AddField(
            model_name='business',
            name='support_access_until',
            field=models.DateTimeField(blank=True, null=True, verbose_name='platform support may enter until'),
        ),
    ]
