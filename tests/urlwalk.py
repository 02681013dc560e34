"""Every URL pattern of the project, as the tests that walk them all need them.

Walking ``get_resolver()`` rather than listing addresses by hand is what lets those tests fail when someone adds
a URL and forgets to say how it is protected.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

# Integer URL parts that are not object ids.
NOT_IDS = frozenset({"year"})


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself for an unnamed pattern
    namespace: str  # "admin", "reports", … ("" at the root)
    route: str
    callback: object
    converters: dict = field(hash=False)

    @property
    def id_kwargs(self) -> frozenset[str]:
        """The keyword arguments that name an object by its id (``pk``, ``plan_pk``, …)."""
        return frozenset(
            kwarg
            for kwarg, converter in self.converters.items()
            if isinstance(converter, IntConverter) and kwarg not in NOT_IDS
        )


def project_routes() -> list[Route]:
    def walk(patterns, namespace: str, prefix: str, converters: dict) -> Iterator[Route]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            found = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route, found)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else route
                yield Route(name, namespace.rstrip(":"), route, pattern.callback, found)

    return list(walk(get_resolver().url_patterns, "", "", {}))
