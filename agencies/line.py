"""Which LINE channel reaches whom: each person through the first of their agencies that turned LINE on
(``Agency.line_channel_token``). Given to ``ita_tracker.channels.line`` in ``AgenciesConfig.ready()``."""

from collections import defaultdict

from agencies.models import Membership


def line_targets(user_ids: list[int]) -> list[tuple[str, list[int]]]:
    chosen: dict[int, str] = {}
    for user_id, token in (
        Membership.objects.filter(user_id__in=user_ids, is_active=True)
        .exclude(agency__line_channel_token="")
        .order_by("pk")
        .values_list("user_id", "agency__line_channel_token")
    ):
        if token:  # empty when it could not be decrypted (ita_tracker.crypto): that agency's LINE is off
            chosen.setdefault(user_id, token)
    by_token: dict[str, list[int]] = defaultdict(list)
    for user_id, token in sorted(chosen.items()):
        by_token[token].append(user_id)
    return list(by_token.items())
