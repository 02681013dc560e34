from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies import scope
from agencies.models import Agency
from agencies.selectors import followed_provinces
from assessments import permissions, selectors, services
from assessments.forms import AssessmentForm, TargetBandsForm, YearChoiceForm
from assessments.models import Assessment, FrameworkEdition, Tool
from ita_tracker import clock
from ita_tracker.summaries import kept_for
from ita_tracker.thai import fiscal_year, format_number, local_digits, use_thai_digits


def _current_agency_or_404(request) -> Agency:
    agency = request.workspace.agency
    if agency is None:
        raise Http404("No agency")
    return agency


def index(request):
    agency = request.workspace.agency
    assessments = []
    if agency is not None:
        assessments = list(
            Assessment.objects.filter(agency=agency)
            .select_related("edition")
            .with_tool_scores()
            .order_by("-edition__fiscal_year")
        )
    # The page needs only "more than one agency" (the comparison) and "more than EXPORT_INLINE_MAX_AGENCIES" (the
    # export runs as a job): the menu's few agencies answer both for most people (agencies.scope); for a person
    # who follows many the count stops one past the limit instead of counting all 8,000 (issue 17).
    if scope.follows_many(request):
        limit = max(settings.EXPORT_INLINE_MAX_AGENCIES, scope.SWITCHER_LIMIT) + 1
        agency_count = Agency.objects.visible_to(request.user).order_by()[:limit].count()
    else:
        agency_count = len(scope.first_agencies(request))
    years = list(FrameworkEdition.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True))
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "agency": agency,
            "assessments": assessments,
            "year_form": YearChoiceForm(years=years, initial={"fiscal_year": fiscal_year(clock.today()) - 1}),
            "can_edit": permissions.can_edit_scores(request.user, agency, request.workspace.membership),
            "agency_count": agency_count,
            "export_in_background": agency_count > settings.EXPORT_INLINE_MAX_AGENCIES,
        },
    )


def detail(request, pk):
    assessment = selectors.visible_assessment_or_404(request.user, pk)
    analysis = selectors.analysis_for(assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "analysis": analysis,
            "can_edit": permissions.can_edit_scores(request.user, assessment.agency),
        },
    )


def entry(request, year):
    """Enter or correct the scores of the current agency for a fiscal year."""
    agency = _current_agency_or_404(request)
    permissions.require_score_editor(request, agency)
    edition = selectors.edition_with_structure(year)
    if edition is None:
        raise Http404("No framework for that year")
    assessment = (
        Assessment.objects.filter(agency=agency, edition=edition)
        .prefetch_related("indicator_scores__indicator", "item_scores__item")
        .first()
    )
    form = AssessmentForm(edition, request.POST or None, assessment=assessment)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.assessment_save(
                agency=agency,
                edition=edition,
                indicator_scores=form.indicator_scores(),
                item_scores=form.item_scores(),
                published_total=form.cleaned_data["published_total"],
                published_level=form.cleaned_data["published_level"],
                note=form.cleaned_data["note"],
                expected_version=form.expected_version(),
                by=request.user,
            )
        except services.StaleScores as stale:
            # Nothing saved. Keep everything typed, show what the other person saved; the next save goes
            # over their version knowingly (the form now carries it).
            conflict = stale
            data = request.POST.copy()
            data["version"] = stale.current.version
            form = AssessmentForm(edition, data, assessment=assessment)
            form.is_valid()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("บันทึกผลการประเมินปี %(year)s แล้ว") % {"year": local_digits(year)})
            return redirect(saved)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "agency": agency,
            "edition": edition,
            "form": form,
            "assessment": assessment,
            "rules": _rules_json(edition),
            "conflict": conflict,
        },
    )


def _rules_json(edition: FrameworkEdition) -> dict:
    """What the entry page's script needs to preview totals as one types (the server recomputes on save)."""
    return {
        "tools": [
            {
                "code": tool.code,
                "weight": str(tool.weight),
                "indicators": {str(i.number): str(i.weight) for i in edition.indicators.all() if i.tool_id == tool.pk},
            }
            for tool in edition.tools.all()
        ],
        "levels": [
            {
                "label": r.label,
                "min_total": str(r.min_total),
                "min_each_tool": r.min_each_tool and str(r.min_each_tool),
            }
            for r in edition.level_rules.all()
        ],
    }


def choose_year(request):
    years = list(FrameworkEdition.objects.values_list("fiscal_year", flat=True))
    form = YearChoiceForm(request.GET or None, years=years)
    if form.is_valid():
        return redirect("assessments:entry", year=form.cleaned_data["fiscal_year"])
    return redirect("assessments:index")


def analysis(request, pk):
    assessment = selectors.visible_assessment_or_404(request.user, pk)
    data = selectors.analysis_for(assessment)
    return render(request, "assessments/analysis.html", {"assessment": assessment, "analysis": data})


def bands(request):
    agency = _current_agency_or_404(request)
    permissions.require_score_editor(request, agency)
    instance = selectors.bands_for(agency)
    form = TargetBandsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("บันทึกเกณฑ์ระดับความเข้มข้นของมาตรการแล้ว"))
        return redirect("assessments:index")
    return render(request, "assessments/bands_form.html", {"agency": agency, "form": form})


def compare(request):
    """The comparison table for people who follow many agencies (a provincial office, the NACC)."""
    editions = list(FrameworkEdition.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True))
    if not editions:
        raise Http404("No framework")
    try:
        year = int(request.GET.get("year") or editions[0])
    except ValueError:
        year = editions[0]
    province = request.GET.get("province", "")
    agency_type = request.GET.get("type", "")
    sort = request.GET.get("sort", "-total")
    agencies, paginator = selectors.comparison_queryset(
        request.user, fiscal_year=year, province=province, agency_type=agency_type, sort=sort
    )
    # Keyset pages (ita_tracker.keyset): the last page reads 51 rows in reverse, not all of them after an OFFSET.
    page = paginator.page(
        after=request.GET.get("after", ""), before=request.GET.get("before", ""), last=request.GET.get("last") == "1"
    )
    numbers = selectors.indicator_numbers(year)
    tools = list(Tool.objects.filter(edition__fiscal_year=year).order_by("order").values_list("code", flat=True))
    by_number, by_tool = selectors.comparison_scores([assessment.pk for assessment in page])
    # A full page is 50 rows of some 25 scores: written here with the page's digits decided once, rather than by
    # a template filter per cell (which asked the language and the agency's choice each time).
    digits = "thai" if use_thai_digits() else "arabic"

    def cells(values: list) -> list[str]:
        return [format_number(value, 2, digits) if value is not None else "—" for value in values]

    for assessment in page:
        assessment.score_list = [by_number[assessment.pk].get(n) for n in numbers]
        assessment.tool_list = [by_tool[assessment.pk].get(code) for code in tools]
        assessment.score_cells = cells(assessment.score_list)
        assessment.tool_cells = cells(assessment.tool_list)
    # Averages and the count over every agency selected (8,000 for the NACC) are reference figures, not what
    # anyone signs: kept a few minutes under the person and their filters. The installation-wide averages need
    # no keeping: they are kept up to date as scores change (``assessments.averages``).
    figures = kept_for(
        request.user,
        "comparison",
        lambda: {
            "charts": selectors.comparison_charts(agencies, year),
            "count": paginator.queryset.order_by().count(),
        },
        year=year,
        province=province,
        type=agency_type,
    )
    return render(
        request,
        "assessments/compare.html",
        {
            "page": page,
            "year": year,
            "years": editions,
            "province": province,
            "provinces": followed_provinces(request.user),
            "agency_type": agency_type,
            # What later apps' actions on this table receive (e.g. the Excel export of reports).
            "table_filters": {"year": year, "province": province, "type": agency_type},
            "types": Agency.Type.choices,
            "sort": sort,
            "charts": figures.value["charts"],
            "count": figures.value["count"],
            "as_of": figures.as_of,
            "numbers": numbers,
            "tools": [{"code": code, "sort": f"-{selectors.TOOL_SORT_PREFIX}{code}"} for code in tools],
            "colspan": 4 + len(numbers) + len(tools),
        },
    )
