from django.db import migrations, models

# The shipped sensitive categories as they were named when this migration was written
# (situation.defaults.SENSITIVE_EVENT_CATEGORIES holds the set and the reasons from now on).
SHIPPED_SENSITIVE = (
    "Våld i nära relation",
    "Sexualbrott",
    "Hot eller trakasserier mot tjänsteperson eller politiker",
    "Ungdomar i riskmiljö",
)


def mark_shipped_sensitive(apps, schema_editor):
    EventCategory = apps.get_model("situation", "EventCategory")
    EventCategory.objects.filter(collaboration__isnull=True, name__in=SHIPPED_SENSITIVE).update(sensitive=True)


class Migration(migrations.Migration):
    dependencies = [("situation", "0003_edit_versions")]

    operations = [
        migrations.AddField(
            model_name="eventcategory",
            name="sensitive",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Händelser i en känslig kategori kan peka ut en enskild person. I allt som är öppet "
                    "redovisas de bara som antal per kommun och period, aldrig som enskilda händelser."
                ),
                verbose_name="känslig",
            ),
        ),
        migrations.RunPython(mark_shipped_sensitive, migrations.RunPython.noop),
    ]
