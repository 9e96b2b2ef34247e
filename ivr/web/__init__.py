"""The webhook: the voice endpoints, signatures, privacy, the live menus store, audio, TwiML.

The whole application (with the console and the QA page when switched on) is assembled
above the layers, in ivr/app.py.
"""
