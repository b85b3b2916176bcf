"""Scoring vendors' returned response forms (specgen score): read, check, score, report."""
