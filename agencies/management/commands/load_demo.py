"""``python manage.py load_demo``: the five agencies of the seed documents, their divisions and demo
users for every role. Safe to run again: it updates what exists and adds what is missing.

Later apps add their part of the demo (scores, measures, memos) in a ``demo.py`` module with a
``load(command)`` function; they run after the agencies, in INSTALLED_APPS order, which is the order
data flows (agencies → assessments → measures → reports).
"""

from __future__ import annotations

import json
from datetime import date
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from agencies.models import ROLE_FIELDS, Agency, Department, Membership
from ita_tracker import clock

User = get_user_model()

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


def _upsert_user(spec: dict, password: str, **extra) -> User:
    user, created = User.objects.get_or_create(username=spec["username"])
    user.first_name = spec["first_name"]
    user.last_name = spec.get("last_name", "")
    user.email = spec.get("email") or f"{spec['username']}@example.org"
    for key, value in extra.items():
        setattr(user, key, value)
    if created or not user.has_usable_password():
        user.set_password(password)
    user.save()
    return user


def _upsert_membership(user, agency: Agency, department: Department | None, spec: dict) -> Membership:
    values = {
        "department": department,
        "position_title": spec.get("position_title", ""),
        "is_active": True,
        **{field: role in spec["roles"] for role, field in ROLE_FIELDS.items()},
    }
    membership, _ = Membership.objects.update_or_create(user=user, agency=agency, defaults=values)
    return membership


class Command(BaseCommand):
    help = "Load the demo agencies, divisions and users (idempotent)."
    demo_dir = DEMO_DIR

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Build the cycle in progress as of this day (YYYY-MM-DD; default: today, see ita_tracker.clock).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        self.today = options.get("today") or clock.today()
        data = json.loads((DEMO_DIR / "agencies.json").read_text(encoding="utf-8"))
        password = data["password"]
        agencies: dict[str, Agency] = {}
        for spec in data["agencies"]:
            agency, _ = Agency.objects.update_or_create(
                code=spec["code"],
                defaults={
                    key: spec[key]
                    for key in ("name", "type", "province", "district", "address", "use_thai_digits")
                    if key in spec
                },
            )
            agencies[agency.code] = agency
            departments = {}
            for order, dept in enumerate(spec["departments"], start=1):
                departments[dept["name"]], _ = Department.objects.update_or_create(
                    agency=agency,
                    name=dept["name"],
                    defaults={
                        "letter_code": dept.get("letter_code", ""),
                        "phone": dept.get("phone", ""),
                        "order": order,
                    },
                )
            for person in spec["people"]:
                user = _upsert_user(person, password)
                _upsert_membership(user, agency, departments.get(person["department"]), person)

        for person in data["cross_agency_people"]:
            user = _upsert_user(person, password)
            for code in person["agencies"]:
                _upsert_membership(user, agencies[code], None, person)

        _upsert_user(data["superuser"], password, is_staff=True, is_superuser=True)

        for app_config in apps.get_app_configs():
            if app_config.name != "agencies" and module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").load(self)

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(agencies)} agencies."))
        self.stdout.write(self.demo_logins(data))

    @staticmethod
    def demo_logins(data: dict) -> str:
        lines = [f"Demo logins (password for all: {data['password']}):"]
        for spec in data["agencies"]:
            for person in spec["people"]:
                lines.append(f"  {person['username']:<20} {spec['name']}: {', '.join(person['roles'])}")
        for person in data["cross_agency_people"]:
            lines.append(
                f"  {person['username']:<20} {len(person['agencies'])} agencies: {', '.join(person['roles'])}"
            )
        lines.append(f"  {data['superuser']['username']:<20} superuser (Django admin, every agency)")
        return "\n".join(lines)
