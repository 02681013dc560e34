"""``python manage.py generate_data``: a thin entry point to :mod:`bench.generate` (see its docstring)."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand

from bench.generate.core import Generator


class Command(BaseCommand):
    help = "Generate realistic agencies, people, scores, measures and memos at national scale."

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=80, help="number of agencies to add (default 80)")
        parser.add_argument("--years", type=int, default=5, help="consecutive fiscal years (default 5)")
        parser.add_argument("--first-year", type=int, default=None, help="first fiscal year (default: last K of 2568)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--items",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="write item scores (about 88 per assessment; default on)",
        )
        parser.add_argument(
            "--items-years",
            type=int,
            default=None,
            help="write item scores for the latest N generated years only (default: every year)",
        )
        parser.add_argument("--method", choices=["auto", "copy", "insert", "bulk"], default="auto")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--chunk", type=int, default=400, help="agencies per chunk (default 400)")
        parser.add_argument(
            "--frozen-tables",
            type=int,
            default=None,
            help="freeze memo tables with the product's builder for the first N agencies only; the others copy one "
            "of the same kind and year and are numbered here (a national database in minutes; default: every agency)",
        )
        parser.add_argument("--password", default=None, help="one password for every generated user (hashed once)")

    def handle(self, *args, **options):
        Generator(self.stdout).run(**options)
