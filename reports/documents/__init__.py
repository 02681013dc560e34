"""The annual ITA documents, one class per document and one renderer per format (as django-oscar's
report generators): a document gathers its data once, then ``render_pdf()`` and ``render_xlsx()`` return
bytes. Views wrap the bytes in a response; management commands and background jobs call the same code.
"""

from reports.documents.analysis import AnalysisDocument
from reports.documents.anticorruption import AntiCorruptionPlanDocument, AntiCorruptionReportDocument
from reports.documents.memo import MemoDocument
from reports.documents.plan import PlanDocument
from reports.documents.results import ResultsDocument
from reports.documents.scores import ScoreTableDocument

__all__ = [
    "AnalysisDocument",
    "AntiCorruptionPlanDocument",
    "AntiCorruptionReportDocument",
    "MemoDocument",
    "PlanDocument",
    "ResultsDocument",
    "ScoreTableDocument",
]
