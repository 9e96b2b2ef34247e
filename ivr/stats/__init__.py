"""Anonymous statistics: counts per day of what callers did, and the half-yearly report.

events (pure: what a step counts), store (SQLAlchemy tables), recorder (the webhook's side),
report (the figures), charts and html (the self-contained report). docs/statistics.md.
"""
