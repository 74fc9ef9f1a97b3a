"""Checking a report edited by hand against the data: reading the document (``doctext``), reading
the numbers it states (``statements``), locating each figure by its cue words (``cues``), and
comparing (``compare``)."""

from helpers.check.compare import CheckResult, check_document

__all__ = ["CheckResult", "check_document"]
