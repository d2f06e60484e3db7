"""Evaluation against gold data: readers (gold.py), matching and scores (matching.py),
reports (report.py). It drives the pipeline; the pipeline never imports it."""
