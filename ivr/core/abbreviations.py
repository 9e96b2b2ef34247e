"""Abbreviations whose full stop does not end a sentence, per language (issue 8 item 14).

Data, not rules: add a language's common ones here. Matched lower-case, with the full stop.
A full stop followed by a lower-case letter never ends a sentence anyway (`Эл. почта`), so a
list only needs the abbreviations that are often followed by a capital or a digit
(`esim. Helsinki`, `puh. 029 546 3177`, `St. Petersburg`). Words that often end a sentence
as well (`ry.`, `Inc.`, `etc.`, `jne.`) are left out: a wrong join is worse than a split.
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "fi": frozenset({
        "esim.", "puh.", "p.", "ks.", "mm.", "ns.", "n.", "klo.", "os.", "nro.", "vrt.",
        "huom.", "mt.", "ts.",
    }),
    "sv": frozenset({
        "t.ex.", "tex.", "bl.a.", "tel.", "ca.", "kl.", "s.k.", "nr.",
        "ev.", "resp.", "jfr.", "obs.", "st.",
    }),
    "en": frozenset({
        "e.g.", "i.e.", "st.", "mr.", "mrs.", "ms.", "dr.", "tel.", "approx.", "vs.",
        "mt.", "ft.", "dept.",
    }),
    "ru": frozenset({"эл.", "т.е.", "т.к.", "тел.", "г.", "ул.", "д.", "им.", "см.", "напр."}),
}


def abbreviations(lang: str | None) -> frozenset[str]:
    """The language's abbreviations ('pt-BR' falls back to 'pt'); none for an unknown one."""
    if not lang:
        return frozenset()
    return ABBREVIATIONS.get(lang) or ABBREVIATIONS.get(lang.split("-")[0], frozenset())
