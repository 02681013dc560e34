"""Maximum lengths of free text, in the form and in the database (issue 11, item 8).

One 300 KB progress summary made the results PDF take 36 s; about 1 MB would have passed gunicorn's timeout and
blocked every document of that year. So every ``TextField`` has a ``max_length`` (the form gets a ``maxlength``
and Django's Thai "ข้อความนี้ต้องมีไม่เกิน …" message) and a :class:`TextLengthConstraint`: Django does not
enforce a TextField's ``max_length`` in the database, nor in ``full_clean()``, so text saved by a service, an
import or a raw ``save()`` would otherwise pass. The constraint is a database CHECK on ``LENGTH(field)``
(characters, on SQLite and PostgreSQL alike) and, in ``full_clean()``, a check in Python (no query per field)
that raises a Thai message naming the field and the limit, keyed on that field.

``tests/ita_tracker/test_textlimits.py`` introspects every model of the project's apps: a TextField without a
``max_length`` and a matching constraint named ``<app>_<model>_<field>_max_length`` fails it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _

from ita_tracker.thai import local_digits


def too_long_message(label, limit: int) -> str:
    return _("%(field)sยาวเกินกำหนด (ไม่เกิน %(limit)s ตัวอักษร)") % {"field": label, "limit": local_digits(f"{limit:,}")}


class TextLengthConstraint(models.CheckConstraint):
    """``CHECK (LENGTH(field) <= limit)``, validated in Python by ``full_clean()``."""

    def __init__(self, *, field: str, limit: int, name: str | None = None):
        self.field = field
        self.limit = limit
        super().__init__(
            condition=LessThanOrEqual(Length(field), limit),
            name=name or f"%(app_label)s_%(class)s_{field}_max_length",
        )

    def validate(self, model, instance, exclude=None, using=None):
        # Python rather than Django's default SELECT per constraint: no query per text field on every save.
        if exclude and self.field in exclude:
            return
        value = getattr(instance, self.field)
        # A field left to its database default (``db_default``) holds a DatabaseDefault until saved: no text yet.
        if isinstance(value, str) and len(value) > self.limit:
            label = model._meta.get_field(self.field).verbose_name
            raise ValidationError({self.field: too_long_message(label, self.limit)}, code="max_length")

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (), {"field": self.field, "limit": self.limit, "name": self.name}

    def __eq__(self, other):
        if isinstance(other, TextLengthConstraint):
            return (self.field, self.limit, self.name) == (other.field, other.limit, other.name)
        return NotImplemented

    __hash__ = models.CheckConstraint.__hash__


def text_limits(**limits: int) -> list[TextLengthConstraint]:
    """The constraints for a model's ``Meta.constraints``: ``text_limits(summary=4000, obstacles=2000)``."""
    return [TextLengthConstraint(field=field, limit=limit) for field, limit in limits.items()]


def refuse_longer_texts(app_label: str, model_name: str, **limits: int) -> migrations.RunPython:
    """A migration step run before the constraints are added: existing text longer than a new limit stops the
    migration with a message naming the rows, rather than failing on an anonymous CHECK or truncating anything.

    No real data was longer when the limits were chosen (the longest paragraph of the seed documents is about
    2,000 characters); an installation that has such rows shortens them by hand and migrates again.
    """

    def check(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        problems = []
        for field, limit in limits.items():
            rows = model._default_manager.annotate(_n=Length(field)).filter(_n__gt=limit).values_list("pk", "_n")
            problems += [f"{model_name}.{field} pk={pk}: {n:,} > {limit:,}" for pk, n in rows[:50]]
        if problems:
            raise RuntimeError(
                "Text longer than the new maximum (issue 11, item 8); shorten these rows and migrate again:\n"
                + "\n".join(problems)
            )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=True)


def check_text_lengths(instance, exclude=()) -> None:
    """The text limits of ``instance`` alone, in Python: for a save that skips ``validate_constraints`` (to spare
    the queries of its other constraints) but must still refuse an over-long text with a Thai message."""
    model = type(instance)
    for constraint in model._meta.constraints:
        if isinstance(constraint, TextLengthConstraint):
            constraint.validate(model, instance, exclude=exclude)


def limit_of(model, field: str) -> int:
    """A plain form's ``max_length`` for a text stored in ``model.field``, so the two cannot drift apart."""
    return model._meta.get_field(field).max_length
