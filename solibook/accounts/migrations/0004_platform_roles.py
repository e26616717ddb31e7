import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_security'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlatformRoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('operator', 'Operator'), ('finance', 'Finance'), ('support', 'Support'), ('moderator', 'Moderator')], max_length=20, verbose_name='platform role')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='platform_roles', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'platform role',
                'verbose_name_plural': 'platform roles',
                'constraints': [models.UniqueConstraint(fields=('user', 'role'), name='platform_role_unique_per_user')],
            },
        ),
    ]
