"""Default working time (service-data-api.md): Monday–Friday, 08:00–16:00 local time."""

from datetime import time

from django.db import migrations


def forwards(apps, schema_editor):
    hours = apps.get_model("core", "WorkingHours")
    if not hours.objects.exists():
        hours.objects.create(weekdays="1,2,3,4,5", starts=time(8), ends=time(16))


class Migration(migrations.Migration):
    dependencies = [("core", "0006_working_calendar")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
