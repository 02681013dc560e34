"""Realistic data at national scale, for benchmarks and for trying the product with thousands of agencies
(``python manage.py generate_data --agencies N --years K`` is the entry point).

What it makes, per generated agency (codes ``gen-00001``, … after any existing ``gen-`` codes):

* the agency, spread over the types and provinces as in Thailand (about 1% อบจ., 0.4% เทศบาลนคร,
  2.5% เทศบาลเมือง, 28% เทศบาลตำบล, 68% อบต.), 3–6 divisions with letter codes, a coordinator, 1–3
  staff, 2–3 approvers, an agency admin, and a three-step approval chain;
* per fiscal year: an assessment with the ten indicator scores and every item score of that year's
  edition, the tool scores, total and level computed with ``assessments.scoring.compute``, a published
  total for most (a few off by more than rounding); a measure plan of 10–20 measures with steps,
  divisions, indicators and 2–6 progress updates; and its memos (analysis, plan, 6- and 12-month
  progress) through the approval chain, in every state (draft, pending at each step, returned,
  approved), numbered per agency and year, with their steps, events and counters;
* one national viewer (``national.viewer``) following every generated agency, and a viewer per
  province (``province.NN``) following the agencies of that province.

Speed: rows are built in Python with explicit primary keys (no per-row query, no per-row
``full_clean``), agencies are processed in chunks, and the whole run is one transaction. On PostgreSQL
rows go in with ``COPY`` (``--method copy``, the default there); elsewhere with ``executemany``
(``insert``). ``--method bulk`` uses ``bulk_create(batch_size=…)`` instead, for comparison; note that
``bulk_create`` stamps ``auto_now``/``auto_now_add`` fields with the current time, so with it the
history dates of memos and events are "now" rather than the dates of the story.

Every row respects the models' constraints (the run fails on the first violation and rolls back).
Passwords: all generated users share one password hashed once (``--password``), or have an unusable
password (the default).
"""
