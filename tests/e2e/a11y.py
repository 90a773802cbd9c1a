"""axe-core in the browser tests: the engine shipped inside the axe-playwright-python package (a test
dependency), injected into the page and run on it; the WCAG 2.x A and AA rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """The page's accessibility violations as readable lines (rule, impact, the first nodes), none if it passes."""
    page.evaluate(axe_script())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in result["violations"]
    ]
