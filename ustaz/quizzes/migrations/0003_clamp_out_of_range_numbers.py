"""Numbers saved beyond their column before they were bounded (a question of 1000 points in a column of five
digits: SQLite kept it, and every page reading it answered 500) are brought within it: clamped to the largest
value the column holds, so the pages open again and the teacher corrects the points in the question form.
Filtered and updated without reading a row back: on SQLite the ORM cannot load such a value."""

from decimal import Decimal

from django.db import migrations

COLUMNS = [("QuestionVersion", "points"), ("Answer", "points"), ("Attempt", "score"), ("Attempt", "max_score")]


def _largest(field) -> Decimal:
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)


def clamp(apps, schema_editor):
    for model_name, name in COLUMNS:
        model = apps.get_model("quizzes", model_name)
        largest = _largest(model._meta.get_field(name))
        # NaN or Infinity kept as text by SQLite sort above every number, so they are clamped here too.
        model.objects.filter(**{f"{name}__gt": largest}).update(**{name: largest})
        model.objects.filter(**{f"{name}__lt": -largest}).update(**{name: -largest})


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0002_question_media")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
