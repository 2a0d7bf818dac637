"""A deterministic synthetic bilingual site for benchmarks: N articles in French and English, ~1,050 words."""

from __future__ import annotations

import random
import shutil
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

from builder.urls import slug

REPO = Path(__file__).resolve().parents[2]
WORDS = 1050  # words per article body, roughly
FR = (
    "la transformation numérique des entreprises demande une stratégie claire et des équipes formées "
    "le client attend une relation simple rapide et humaine avec les marques qu'il choisit chaque jour "
    "l'intelligence artificielle change la manière de travailler de décider et de servir les clients "
    "les données sont une ressource précieuse à condition d'en comprendre la valeur et les limites "
    "le métavers promet des expériences nouvelles mais les usages restent encore à inventer ensemble "
    "les dirigeants doivent écouter le terrain mesurer les effets et corriger la trajectoire à temps "
    "une innovation réussie naît souvent d'un problème concret observé avec patience et curiosité"
).split()
EN = (
    "the digital transformation of companies needs a clear strategy and well trained teams across the "
    "board "
    "customers expect a simple fast and human relationship with the brands they choose every day "
    "artificial intelligence changes the way people work decide and serve their customers at scale "
    "data is a precious resource as long as its value and its limits are well understood by everyone "
    "the metaverse promises new experiences but the actual uses are still to be invented together "
    "leaders must listen to the field measure the effects and correct the course while there is time "
    "a successful innovation often starts from a concrete problem observed with patience and "
    "curiosity"
).split()
HEADINGS = {
    "fr": ("Le contexte", "Ce qui change", "Les limites", "Et demain ?"),
    "en": ("The context", "What changes", "The limits", "What next?"),
}


def _sentence(rng: random.Random, words: list[str], lang: str) -> str:
    picked = [rng.choice(words) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.15:
        picked.insert(rng.randint(1, len(picked) - 1), f"*{rng.choice(words)}*")
    text = " ".join(picked)
    if rng.random() < 0.1:
        text += " : « un exemple »" if lang == "fr" else ": “an example”"
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _body(rng: random.Random, lang: str) -> str:
    words, parts, count, heading = (FR if lang == "fr" else EN), [], 0, 0
    while count < WORDS:
        if count and count // 260 > heading - 1 and heading < len(HEADINGS[lang]):
            parts.append(f"## {HEADINGS[lang][heading]}")
            heading += 1
        paragraph = " ".join(_sentence(rng, words, lang) for _ in range(rng.randint(3, 6)))
        if rng.random() < 0.2:
            paragraph += " [" + rng.choice(words) + "](https://example.org/" + str(rng.randint(1, 999)) + ")."
        if rng.random() < 0.1:
            paragraph = "\n".join(f"- {_sentence(rng, words, lang)}" for _ in range(3))
        parts.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(parts) + "\n"


def _front(title: str, when: date, slug: str, tags: list[str]) -> str:
    quoted = title.replace('"', '\\"')
    return (
        f'---\ntitle: "{quoted}"\ndate: {when.isoformat()}\nslug: {slug}\ntags: [{", ".join(tags)}]\n---\n\n'
    )


def generate(root: Path, n: int, seed: int = 0) -> Path:
    """Write a site of `n` bilingual articles under `root` (config, tags, posts, themes); return `root`."""
    rng = random.Random(seed)
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config.toml", root / "config.toml")
    shutil.copy(REPO / "content" / "tags.toml", root / "content" / "tags.toml")
    if (REPO / "content" / "pages").is_dir():
        shutil.copytree(REPO / "content" / "pages", root / "content" / "pages", dirs_exist_ok=True)
    if (REPO / "themes").is_dir():  # a site theme of the repository's; the default one is in the package
        shutil.copytree(REPO / "themes", root / "themes", dirs_exist_ok=True)
    tag_ids = sorted(tomllib.loads((root / "content" / "tags.toml").read_text(encoding="utf-8")))
    start, span = date(2012, 1, 1), (date(2025, 12, 31) - date(2012, 1, 1)).days
    for number in range(n):
        when = start + timedelta(days=rng.randrange(span))
        tags = rng.sample(tag_ids, rng.randint(2, min(4, len(tag_ids))))
        topic_fr, topic_en = rng.choice(FR[:40]), rng.choice(EN[:40])
        key = f"article-{number:04d}"
        (posts / f"{key}.fr.md").write_text(
            _front(f"Article {number} : {topic_fr}", when, slug(f"article-{number:04d}-{topic_fr}"), tags)
            + _body(rng, "fr"),
            encoding="utf-8",
        )
        (posts / f"{key}.en.md").write_text(
            _front(f"Post {number}: {topic_en}", when, slug(f"post-{number:04d}-{topic_en}"), tags)
            + _body(rng, "en"),
            encoding="utf-8",
        )
    return root


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-site")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    generate(target, count)
    print(f"wrote {count} bilingual articles into {target}")
