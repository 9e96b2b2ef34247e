"""The pure core: the menus model, every sentence a caller can hear, and the call engine.

Imports nothing but the standard library and phonenumbers (import-linter, pyproject.toml).
"""
