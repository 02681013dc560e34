"""The read-only JSON API for provincial offices and ministries that build their own dashboards (issue 17).

``/api/v1/``: agencies, scores and levels per year, measure plans with their measures' states, and memo states,
scoped exactly like the pages: every query starts from ``visible_to(user)`` for the person whose token is
presented (``Authorization: Bearer ita_…``, ``ita_tracker.api_auth``), so another agency's id is a 404, as on
the pages. Lists are paginated (``page``, ``page_size`` up to 500; ``more`` says whether a next page exists, and
``count`` is counted up to 1,000) and read rows as tuples, a fixed number of queries per page. The OpenAPI
description is served at ``/api/v1/openapi.json`` without a token; there is no bundled documentation page, since
the interactive ones load their scripts from a CDN, which the content security policy forbids: open the
description in any OpenAPI viewer.

It lives in ``reports``, the last app it reads from, so the one-way rule holds (``tests/test_layering.py``).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from pydantic import Field

from agencies.models import Agency
from assessments.models import Assessment, IndicatorScore, ToolScore
from ita_tracker.api_auth import TokenAuth
from measures.models import Measure, MeasurePlan
from reports.models import Memo

MAX_PAGE_SIZE = 500
COUNT_CAP = 1_000  # a list's count stops here (_slice)

api = NinjaAPI(
    title="ITA Tracker API",
    version="1",
    description="ข้อมูลอ่านอย่างเดียวของหน่วยงานที่ผู้ถือโทเค็นติดตาม (Read-only data of the agencies the token's person follows)",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


class Paging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    type: str
    province: str
    district: str


class AssessmentOut(Schema):
    agency_id: int
    fiscal_year: int
    total: Decimal | None
    level: str
    published_total: Decimal | None
    published_level: str
    tools: dict[str, Decimal]
    indicators: dict[int, Decimal]


class PlanOut(Schema):
    id: int
    agency_id: int
    fiscal_year: int
    title: str
    measures: dict[str, int]  # status → number of measures


class MemoOut(Schema):
    id: int
    agency_id: int
    kind: str
    status: str
    subject: str
    date: str | None
    current_step: int | None
    is_published: bool


class ListPage(Schema):
    """One page of a list: ``page`` of size ``page_size``; ``more`` says whether a next page exists."""

    count: int = Field(
        description=f"จำนวนรายการ นับถึง {COUNT_CAP:,} (The number of items, counted up to {COUNT_CAP:,}: "
        f"when there are more it is {COUNT_CAP:,} and count_exact is false; page on while more is true)"
    )
    count_exact: bool = Field(
        description=f"false เมื่อมีมากกว่า {COUNT_CAP:,} รายการ (false: more than {COUNT_CAP:,} items)"
    )
    page: int
    more: bool = Field(description="มีหน้าถัดไป (a next page exists)")


class AgencyPage(ListPage):
    items: list[AgencyOut]


class AssessmentPage(ListPage):
    items: list[AssessmentOut]


class PlanPage(ListPage):
    items: list[PlanOut]


class MemoPage(ListPage):
    items: list[MemoOut]


def _slice(queryset: QuerySet, paging: Paging) -> tuple[dict, list]:
    """The page's rows and what the page says of the list. The rows read one more than the page (whether a next
    page exists); the count stops at ``COUNT_CAP`` (a ``LIMIT`` inside it): a national token's memos are 150,000
    rows, and counting all of them took longer than the rest of the answer at 8,000 agencies (issue 17)."""
    start = (paging.page - 1) * paging.page_size
    rows = list(queryset[start : start + paging.page_size + 1])
    count = queryset.order_by()[: COUNT_CAP + 1].count()
    head = {
        "count": min(count, COUNT_CAP),
        "count_exact": count <= COUNT_CAP,
        "page": paging.page,
        "more": len(rows) > paging.page_size,
    }
    return head, rows[: paging.page_size]


def _agencies(request, agency_id: int | None = None) -> QuerySet[Agency]:
    """The person's agencies, or the one asked for (a 404 when it is not theirs)."""
    agencies = Agency.objects.visible_to(request.auth)
    if agency_id is not None:
        get_object_or_404(agencies, pk=agency_id)
        return Agency.objects.filter(pk=agency_id)
    return agencies


AGENCY_FIELDS = ("id", "code", "name", "type", "province", "district")


@api.get("/agencies", response=AgencyPage, summary="หน่วยงานที่ติดตาม")
def agency_list(request, paging: Query[Paging], province: str = "", type: str = ""):
    agencies = _agencies(request)
    if province:
        agencies = agencies.filter(province=province)
    if type:
        agencies = agencies.filter(type=type)
    head, rows = _slice(agencies.order_by("province", "name", "pk").values(*AGENCY_FIELDS), paging)
    return {**head, "items": rows}


@api.get("/agencies/{agency_id}", response=AgencyOut, summary="หน่วยงาน")
def agency_detail(request, agency_id: int):
    return get_object_or_404(_agencies(request).values(*AGENCY_FIELDS), pk=agency_id)


@api.get("/scores", response=AssessmentPage, summary="คะแนนและระดับรายปี")
def score_list(request, paging: Query[Paging], year: int | None = None, agency_id: int | None = None):
    assessments = Assessment.objects.filter(agency__in=_agencies(request, agency_id))
    if year is not None:
        assessments = assessments.filter(edition__fiscal_year=year)
    rows = assessments.order_by("edition__fiscal_year", "agency_id", "pk").values_list(
        "pk", "agency_id", "edition__fiscal_year", "total", "level", "published_total", "published_level"
    )
    head, page = _slice(rows, paging)
    ids = [row[0] for row in page]
    tools: dict[int, dict[str, Decimal]] = {}
    # Ordered by their own columns: the models' default order goes through the assessment (a join and a sort).
    for assessment_id, code, score in (
        ToolScore.objects.filter(assessment_id__in=ids)
        .order_by("assessment_id", "tool__order")
        .values_list("assessment_id", "tool__code", "score")
    ):
        tools.setdefault(assessment_id, {})[code] = score
    indicators: dict[int, dict[int, Decimal]] = {}
    for assessment_id, number, score in (
        IndicatorScore.objects.filter(assessment_id__in=ids)
        .order_by("assessment_id", "indicator__number")
        .values_list("assessment_id", "indicator__number", "score")
    ):
        indicators.setdefault(assessment_id, {})[number] = score
    items = [
        {
            "agency_id": agency,
            "fiscal_year": fiscal_year,
            "total": total,
            "level": level,
            "published_total": published_total,
            "published_level": published_level,
            "tools": tools.get(pk, {}),
            "indicators": indicators.get(pk, {}),
        }
        for pk, agency, fiscal_year, total, level, published_total, published_level in page
    ]
    return {**head, "items": items}


@api.get("/plans", response=PlanPage, summary="แผนมาตรการและสถานะของมาตรการ")
def plan_list(request, paging: Query[Paging], year: int | None = None, agency_id: int | None = None):
    plans = MeasurePlan.objects.filter(agency__in=_agencies(request, agency_id))
    if year is not None:
        plans = plans.filter(fiscal_year=year)
    head, page = _slice(
        plans.order_by("fiscal_year", "agency_id", "pk").values_list("pk", "agency_id", "fiscal_year", "title"),
        paging,
    )
    states: dict[int, dict[str, int]] = {}
    for plan_id, status, n in (
        Measure.objects.filter(plan_id__in=[row[0] for row in page])
        .values_list("plan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        states.setdefault(plan_id, {})[status] = n
    items = [
        {"id": pk, "agency_id": agency, "fiscal_year": year_, "title": title, "measures": states.get(pk, {})}
        for pk, agency, year_, title in page
    ]
    return {**head, "items": items}


@api.get("/memos", response=MemoPage, summary="บันทึกข้อความและสถานะ")
def memo_list(request, paging: Query[Paging], agency_id: int | None = None, status: str = ""):
    memos = Memo.objects.filter(agency__in=_agencies(request, agency_id))
    if status:
        memos = memos.filter(status=status)
    fields = ("pk", "agency_id", "kind", "status", "subject", "date", "current_step", "is_published")
    head, page = _slice(memos.order_by("-created_at", "-pk").values_list(*fields), paging)
    items = [dict(zip(("id", *fields[1:]), row, strict=True)) for row in page]
    for item in items:
        item["date"] = item["date"].isoformat() if item["date"] else None
    return {**head, "items": items}


def urls():
    """The API's URL patterns, exempt from the login redirect: a token, not a session, identifies the caller,
    and a request without one gets a 401 from the API, not the login page. Only GET routes exist."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
        # django-ninja exempts its views from Django's CSRF check (it checks CSRF itself for cookie logins). This
        # API reads only (GET, which the check lets through) and knows no cookie login: the check stays on, so
        # no request with a session cookie can change anything through it.
        pattern.callback.csrf_exempt = False
    return patterns, app_name, namespace
