"""The dev server's translation page (/_diptyque/translations/): every article's state per language,
stale ones with what changed, untranslated tags and UI strings, links to both versions."""

from __future__ import annotations

from html import escape

from builder.config import Config
from builder.errors import BuildFailed
from builder.parse import Meta
from builder.status import LanguageStatus, article_versions, translation_status
from builder.translate.articles import find_article
from builder.translate.diff import format_diff
from builder.translate.segments import compare
from builder.urls import post_path

PATH = "/_diptyque/translations/"  # where the dev server mounts the page
STYLE = """body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}.state{font-weight:600}
.up-to-date .state{color:#1a7f37}.stale .state,.untracked .state{color:#b35900}.missing .state{color:#c00}
.draft .state{color:#666}code{font-size:90%}"""
LABELS = {
    "current": "up to date",
    "stale": "stale",
    "untracked": "untracked",
    "missing": "missing",
    "draft": "draft",
}


def _link(config: Config, kind: str, lang: str, meta: Meta | None, path: str | None) -> str:
    """A link to the page a version is built into, with its source file; a dash when there is none."""
    if meta is None or path is None:
        return "—"
    url = f"/{lang}/" + (post_path(config, meta) if kind == "post" else f"{meta.slug}/")
    href = config.base_path + url[1:]
    return f'<a href="{escape(href)}">{escape(meta.title)}</a><br><code>{escape(path)}</code>'


def _rows(config: Config, lang: str, status: LanguageStatus) -> list[tuple[str, str, str | None]]:
    """(state, original path, translation path) of every article translated, or to translate, into `lang`."""
    rows = [("current", original, translation) for translation, original in status.current]
    rows += [("stale", s.original, s.translation) for s in status.stale]
    rows += [("untracked", u.original, u.translation) for u in status.untracked]
    rows += [
        ("draft" if path in status.drafts else "missing", path, status.drafts.get(path))
        for path in status.missing
    ]
    return sorted(rows, key=lambda row: (list(LABELS).index(row[0]), row[1]))


def _diff(config: Config, path: str, lang: str) -> str:
    """What changed in a stale translation's original, as the terminal shows it."""
    key = path.rsplit("/", 1)[-1].split(".")[0]
    try:
        return format_diff(compare(config, find_article(config, key, lang)), lang)
    except BuildFailed as failure:
        return "\n".join(str(error) for error in failure.errors)


def _table(
    config: Config, lang: str, status: LanguageStatus, metas: dict[str, tuple[str, str, Meta]]
) -> list[str]:
    """The table of articles of one language."""
    out = [
        '<table class="articles"><thead>',
        "<tr><th>state</th><th>original</th><th>translation</th></tr></thead><tbody>",
    ]
    for state, original, translation in _rows(config, lang, status):
        kind, source_lang, meta = metas[original]
        other = metas.get(translation) if translation else None
        cls = LABELS[state].replace(" ", "-")
        out.append(
            f'<tr class="article {cls}" data-state="{cls}"><td class="state">{LABELS[state]}</td>'
            f"<td>{_link(config, kind, source_lang, meta, original)}</td>"
            f"<td>{_link(config, kind, lang, other[2] if other else None, translation)}</td></tr>"
        )
        if state in ("stale", "untracked"):
            out.append(
                f'<tr class="diff"><td colspan="3"><details><summary>what changed</summary>'
                f"<pre>{escape(_diff(config, translation, lang))}</pre></details></td></tr>"
            )
    return out + ["</tbody></table>"]


def _list(title: str, cls: str, items: list[str]) -> list[str]:
    """A headed list, or a line saying there is nothing in it."""
    if not items:
        return [f'<h3>{title}</h3><p class="{cls} none">none</p>']
    return [f"<h3>{title}</h3>", f'<ul class="{cls}">'] + [f"<li>{escape(i)}</li>" for i in items] + ["</ul>"]


def _language(config: Config, lang: str, status: LanguageStatus, metas: dict) -> list[str]:
    """The section of one language."""
    name = config.language(lang).name
    counts = (
        f"{status.complete} up to date, {len(status.stale)} stale, {len(status.untracked)} untracked, "
        f"{len(status.missing) - len(status.drafts)} missing, {len(status.drafts)} draft"
    )
    out = [
        f'<section class="language" id="lang-{escape(lang)}" data-lang="{escape(lang)}">',
        f"<h2>{escape(name)} ({escape(lang)})</h2>",
        f'<p class="counts">{counts}</p>',
    ]
    out += _table(config, lang, status, metas)
    out += _list("Tags without a label", "tags", status.tags)
    out += _list("Untranslated UI strings", "strings", status.strings)
    out += _list("Translations that cannot be right", "anomalies", status.anomalies)
    out += _list("Glossary warnings", "glossary", [str(miss) for miss in status.glossary])
    return out + ["</section>"]


def translations_page(config: Config) -> bytes:
    """The translation page as HTML bytes (UTF-8)."""
    report, errors = translation_status(config)
    groups, _ = article_versions(config)
    metas = {
        path: (kind, lang, meta)
        for (kind, _), versions in groups.items()
        for lang, (path, meta, _) in versions.items()
    }
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Translations · Diptyque</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Translations</h1>",
    ]
    if errors:
        out += _list("Content errors (these files are left out)", "errors", [str(e) for e in errors])
    for lang, status in report.items():
        out += _language(config, lang, status, metas)
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
