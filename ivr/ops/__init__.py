"""What an operator runs beside the webhook: the Twilio numbers' voice settings as code
(`numbersettings`, what they must be; `twilionumber`, what they are, through Twilio's REST
client; `fallbackdocument`, whether Twilio could use the fallback) and the line probe's
Prometheus textfile (`probemetrics`).

Only the command line imports this package; the webhook never does.
"""
