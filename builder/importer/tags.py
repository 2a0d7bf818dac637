"""Choose 2–5 tags per article from the vocabulary, by weighted keyword evidence that can be explained."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

TITLE_WEIGHT = 3  # a keyword in the title counts as much as three in the body
MIN_TAGS, MAX_TAGS = 2, 5

# Keyword patterns per tag id, matched on the casefolded text; "\b" keeps "ia" out of "média".
KEYWORDS: dict[str, tuple[str, ...]] = {
    "ai": (r"intelligence artificielle", r"\bia\b", r"\bai\b", r"chatgpt", r"\bgpt", r"algorithme", r"robot",
           r"machine learning", r"apprentissage (?:automatique|supervisé)", r"copilot", r"\bllm"),
    "metaverse": (r"m[ée]tavers", r"réalité (?:virtuelle|augmentée)", r"\bnft", r"web ?3", r"\bvr\b", r"\bxr\b",
                  r"casques?\b", r"mondes? virtuel"),
    "customer-relationship": (r"\bclients?\b", r"relation client", r"\bcrm\b", r"\bvrm\b", r"fidélit", r"fidélis",
                              r"consommateurs?"),
    "data": (r"données", r"\bdata\b", r"big data", r"mégadonnées", r"\brgpd\b", r"open data", r"baromètre"),
    "social-media": (r"réseaux? sociaux", r"réseau social", r"linkedin", r"facebook", r"twitter", r"tiktok",
                     r"followers", r"influence", r"\bposts?\b", r"abonnés", r"plates?-?formes"),
    "digital-transformation": (r"transformation (?:numérique|digitale)", r"\bnumérique", r"\bdigital",
                               r"digitalisation", r"maturité (?:digitale|numérique)", r"internet"),
    "management": (r"\bmanag", r"dirigeants?", r"organisations?\b", r"hiérarchi", r"collaborateurs?", r"leadership",
                   r"gouvernance"),
    "innovation": (r"innov", r"start-?ups?", r"disrupt", r"entrepreneur", r"idées?\b", r"licornes?"),
    "marketing": (r"marketing", r"publicit", r"\bmarques?\b", r"prospect", r"notoriété", r"campagnes?"),
    "work": (r"\bemplois?\b", r"\btravail", r"travailleurs?", r"salariés?", r"métiers?\b", r"employés?",
             r"recrut", r"chômage", r"gig economy", r"micro-?travail"),
    "ethics": (r"éthique", r"manipulation", r"surveillance", r"vie privée", r"addiction", r"dépendance",
               r"souveraineté", r"servitude", r"confiance"),
    "retail": (r"\bcommerces?\b", r"commerçants?", r"e-commerce", r"magasins?", r"vente en ligne", r"franprix",
               r"carrefour", r"acheteurs?", r"boutiques?"),
    "education": (r"\bformations?\b", r"\bformer\b", r"apprentissage", r"écoles?\b", r"enseign", r"élèves?",
                  r"\bcours\b", r"compétences?", r"pédagog"),
    "health": (r"santé", r"médec", r"chirurg", r"maladies?", r"hôpita", r"\bsoins\b"),
    "media": (r"\bpresse\b", r"journalis", r"médias?\b", r"podcast", r"\bradio", r"télévision", r"\binformation\b"),
    "finance": (r"banques?\b", r"bancaire", r"services financiers", r"paiements?", r"crédit", r"fintech",
                r"cryptomonnaie", r"bitcoin", r"bourse"),
    "industry": (r"industri", r"usines?\b", r"automobile", r"\bproduction\b", r"fabricant"),
    "reading-notes": (r"note de lecture", r"\blivres?\b", r"\bauteurs?\b", r"\broman\b", r"\blecture\b"),
}


@dataclass(frozen=True)
class TagChoice:
    """The tags chosen for an article, with the evidence for each."""

    tags: tuple[str, ...]  # chosen tag ids, strongest first
    evidence: tuple[tuple[str, int, tuple[tuple[str, int, int], ...]], ...]  # (tag, score, ((keyword, title hits, body hits), …))


def vocabulary(path: Path) -> dict[str, dict[str, str]]:
    """Read content/tags.toml: tag id → {"fr": label, "en": label}."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def choose(title: str, body: str, known: set[str] | None = None, fallback: tuple[str, ...] = ()) -> TagChoice:
    """Score every tag (title hits weigh TITLE_WEIGHT) and keep the strong ones, between MIN_TAGS and MAX_TAGS;
    too little evidence is completed from `fallback` (the neighbouring articles' tags)."""
    title_text, body_text = title.casefold(), body.casefold()
    scored = []
    for tag, patterns in KEYWORDS.items():
        if known is not None and tag not in known:
            continue
        hits = []
        for pattern in patterns:
            in_title = len(re.findall(pattern, title_text))
            in_body = len(re.findall(pattern, body_text))
            if in_title or in_body:
                hits.append((pattern.replace("\\b", ""), in_title, in_body))
        score = sum(TITLE_WEIGHT * t + b for _, t, b in hits)
        if score:
            scored.append((score, tag, tuple(hits)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[0][0] if scored else 0
    kept = [item for item in scored if item[0] >= max(3, top * 0.3)][:MAX_TAGS]
    if len(kept) < MIN_TAGS:
        kept = scored[:MIN_TAGS]
    for tag in fallback:
        if len(kept) >= MIN_TAGS:
            break
        if tag not in {t for _, t, _ in kept} and (known is None or tag in known):
            kept.append((0, tag, (("(no keyword: tag of the neighbouring articles)", 0, 0),)))
    return TagChoice(tuple(tag for _, tag, _ in kept), tuple((tag, score, hits) for score, tag, hits in kept))


def explain(choice: TagChoice) -> list[str]:
    """One line per chosen tag: its score and the keywords (title hits, body hits) that chose it."""
    lines = []
    for tag, score, hits in choice.evidence:
        words = ", ".join(kw if not (t or b) else f"{kw} ×{t + b}" + (f" (title {t})" if t else "")
                          for kw, t, b in sorted(hits, key=lambda h: -(TITLE_WEIGHT * h[1] + h[2])))
        lines.append(f"{tag} (score {score}): {words}")
    return lines
