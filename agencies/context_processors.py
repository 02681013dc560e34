"""What every page's shell needs: the current agency, the roles held there, and the switcher."""

from agencies.models import Agency

# Up to this many agencies the switcher is a drop-down; beyond it (a provincial office, the NACC),
# it links to the searchable agency list, so the page never loads thousands of names.
SWITCHER_LIMIT = 15


def current_agency(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def switcher_agencies():
        agencies = list(Agency.objects.visible_to(request.user).order_by("name")[: SWITCHER_LIMIT + 1])
        return agencies

    workspace = request.workspace
    return {
        "workspace": workspace,
        "current_agency": workspace.agency,
        "switcher_agencies": switcher_agencies,
        "switcher_limit": SWITCHER_LIMIT,
    }
