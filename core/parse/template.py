"""Which national format a report uses, read from its table headers (TemplateDef.markers)."""

from __future__ import annotations

from collections.abc import Iterable

from core.templates import TEMPLATES, TemplateDef
from core.textnorm import squash


def marker_hits(texts: Iterable[str]) -> dict[str, int]:
    """How many of each template's marker headers occur among the (squashed) cell texts."""
    texts = [t for t in texts if t]
    hits = {}
    for version, template in TEMPLATES.items():
        markers = [squash(m) for m in template.markers]
        hits[version] = sum(1 for m in markers if any(m in t for t in texts))
    return hits


def detect(texts: Iterable[str]) -> TemplateDef | None:
    """The template whose markers are printed, or None when the headers do not tell."""
    hits = marker_hits(texts)
    ranked = sorted(hits.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return TEMPLATES[ranked[0][0]]
