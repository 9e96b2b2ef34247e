"""QA without a phone: the call simulator, scenario files, their coverage, the keypad page.

Production code never imports this package unless the playground is switched on.
"""
