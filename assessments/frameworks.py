"""Loading framework editions from ``fixtures/frameworks/<year>.json``. (Filled in below.)"""
