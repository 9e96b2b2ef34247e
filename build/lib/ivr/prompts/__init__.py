"""Recorded speech: which sentences need audio, the manifest, building and serving it."""
