"""The body a translation import writes: the original's blocks, each with its translated text, refused when
a text would change the article's structure (a blank line, a heading marker, a list item…)."""

from __future__ import annotations

from builder.errors import BuildError
from builder.translate.articles import Article
from builder.translate.blocks import Block, parse_body, rebuild


def _misfit(block: Block, text: str) -> bool:
    """Whether `text` in `block` would read as something else (a blank line, a heading marker…)."""
    return parse_body("\n".join(block.with_text(text).source_lines())).shape != (block.shape,)


def rebuilt(
    path: str, article: Article, texts: dict[str, str], lines: dict[str, int | None]
) -> tuple[str, list[BuildError]]:
    """The translated body, or errors naming each segment whose text would change the structure."""
    original = article.original.body
    ordered = [texts[f"body.{n}"] for n in range(1, len(original.segments) + 1)]
    errors = [
        BuildError(
            path,
            lines.get(f"body.{n}"),
            f"segment body.{n}: its translation would change "
            f"the article's structure (it must stay one {block.label})",
            "remove blank lines and the Markdown that starts a heading, list item, quote or "
            "table row, or escape it with a backslash",
        )
        for n, (block, text) in enumerate(zip(original.segments, ordered, strict=True), start=1)
        if _misfit(block, text)
    ]
    text = rebuild(original, ordered).text()
    if not errors and parse_body(text).shape != original.shape:
        errors.append(
            BuildError(
                path,
                None,
                "the translated blocks do not keep the original's structure",
                "check the segments for Markdown that joins or splits blocks",
            )
        )
    return text, errors
