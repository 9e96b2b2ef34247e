"""Helpline IVR router.

The package is split by layer: `core` (pure model and call engine), `menus` (menus.yaml
loading and checks), `prompts` (recorded speech), `web` (the Flask webhook; `create_app`
lives there), `qa` (simulator and scenarios) and `cli` (the `ivr` command). Importing this
package imports nothing else, so the core loads without Flask.
"""
