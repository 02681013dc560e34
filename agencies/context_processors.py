"""What every page's shell needs: the current agency, the roles held there, and the switcher."""

from agencies import scope

# Up to this many agencies the switcher is a drop-down; beyond it (a provincial office, the NACC),
# it links to the searchable agency list, so the page never loads thousands of names.
SWITCHER_LIMIT = scope.SWITCHER_LIMIT


def current_agency(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def switcher_agencies():
        # Read once per request and shared with the page (agencies.scope): the same query tells the dashboard
        # whether the person follows many agencies.
        return scope.first_agencies(request)

    workspace = request.workspace
    return {
        "workspace": workspace,
        "current_agency": workspace.agency,
        "switcher_agencies": switcher_agencies,
        "switcher_limit": SWITCHER_LIMIT,
        # How often the figures kept for people who follow many agencies are renewed (partials/kept_as_of.html).
        "kept_minutes": scope.KEPT_MINUTES,
    }
