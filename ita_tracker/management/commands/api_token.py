"""Make, list and revoke a person's API keys (``/api/v1/``; README, "API").

    python manage.py api_token create province.pattani --name "แดชบอร์ดจังหวัด"
    python manage.py api_token list province.pattani
    python manage.py api_token revoke <prefix>

The key is printed once, at creation; only its hash is kept.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ita_tracker.api_auth import api_token_create, api_token_revoke
from ita_tracker.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="API")
        listing = sub.add_parser("list")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options):
        if action == "revoke":
            tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
            if len(tokens) != 1:
                raise CommandError(f"{len(tokens)} active keys start with {options['prefix']!r}")
            api_token_revoke(token=tokens[0])
            self.stdout.write(f"revoked {tokens[0]}")
            return
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user {options['username']!r}") from exc
        if action == "create":
            if not user.is_active:
                raise CommandError(f"{user.username} is not active")
            token, key = api_token_create(user=user, name=options["name"])
            self.stdout.write(f"{token}: {key}")
            self.stdout.write("Keep this key now: it is not stored and cannot be shown again.")
            return
        for token in ApiToken.objects.filter(user=user):
            state = "revoked" if token.revoked_at else f"last used {token.last_used_at or 'never'}"
            self.stdout.write(f"{token.prefix}  {token.name}  created {token.created_at:%Y-%m-%d}  {state}")
