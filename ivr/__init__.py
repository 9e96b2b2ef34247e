"""Helpline IVR router.

The package is split by layer: `core` (pure model and call engine), `menus` (menus.yaml
loading and checks), `prompts` (recorded speech), `stats` (anonymous counts), `web` (the
webhook), `qa` (simulator and scenarios), `console` (the operator's pages), `app`
(`create_app`: the whole application) and `cli` (the `ivr` command). Importing this
package imports nothing else, so the core loads without Flask.
"""
