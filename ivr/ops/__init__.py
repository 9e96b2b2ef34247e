"""What an operator runs beside the webhook: the Twilio number's settings as code
(`twilionumber`) and the line probe's Prometheus textfile (`probemetrics`).

Only the command line imports this package; the webhook never does.
"""
