"""The operator console at /console/ (issue 12); off unless IVR_CONSOLE_PASSWORD is set.

Kept empty so that `ivr diagram` can use ivr.console.graph without importing Flask.
"""
