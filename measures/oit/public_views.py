"""The agency's OIT page, open to anyone: what it links from or embeds in its website, and the address of each item
that it types into ITAS.

Only items that passed the coordinator's review appear, and only their evidence files can be downloaded here (a
file of an item not yet passed, or of another agency, is a 404). These two pages may be framed by any site (the
agency's website embeds the list): their responses replace the policy's ``frame-ancestors 'none'`` and carry no
``X-Frame-Options``; every other page of the product keeps both. File downloads are not framed and keep the strict
policy of ``views.file_response``.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from agencies.middleware import digits_of
from agencies.models import Agency
from measures.oit.documents import documents_for_entries
from measures.oit.models import OitEvidence
from measures.oit.selectors import passed_entries
from measures.oit.views import file_response

# Any website may embed the public list (agencies' sites are on many hosts, http and https).
EMBEDDABLE = {"frame-ancestors": ["http:", "https:"]}


def embeddable(view):
    return login_not_required(xframe_options_exempt(csp_replace(EMBEDDABLE)(view)))


def _with_documents(agency: Agency, year: int, entries: list) -> list:
    made = documents_for_entries(entries, agency=agency, fiscal_year=year)
    for entry in entries:
        entry.made = [doc for doc in made.get(entry.pk, []) if doc.public_url]
    return entries


@embeddable
def oit_list(request, code, year):
    agency = get_object_or_404(Agency, code=code)
    entries = _with_documents(agency, year, list(passed_entries(agency, year)))
    with digits_of(agency):
        return render(request, "measures/oit/public_list.html", {"agency": agency, "year": year, "entries": entries})


@embeddable
def oit_item(request, code, year, item):
    agency = get_object_or_404(Agency, code=code)
    entry = get_object_or_404(passed_entries(agency, year), item__code__iexact=item)
    _with_documents(agency, year, [entry])
    with digits_of(agency):
        return render(request, "measures/oit/public_item.html", {"agency": agency, "year": year, "entry": entry})


@login_not_required
def oit_file(request, code, year, item, pk):
    agency = get_object_or_404(Agency, code=code)
    entry = get_object_or_404(passed_entries(agency, year), item__code__iexact=item)
    evidence = get_object_or_404(OitEvidence, entry=entry, pk=pk, proposed=False, kind=OitEvidence.Kind.FILE)
    return file_response(evidence)
