"""menus.yaml as data: the YAML source with line marks, the schema, the checks, loading.

Pure like the core: PyYAML and phonenumbers only (import-linter, pyproject.toml).
"""
