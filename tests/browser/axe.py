"""axe-core in the browser journeys: every page they check is audited against WCAG 2.1 A and AA.

The vendored ``vendor/axe.min.js`` (axe-core, MPL-2.0, see ``vendor/README.md``) is evaluated in the page by
Playwright, so the application never serves it and the page's content security policy is not loosened for it.

A serious or critical violation fails the test; the message lists each rule with its help text and the first few
offending elements, enough to find the template without rerunning.
"""

from __future__ import annotations

from pathlib import Path

AXE_JS = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# Evaluated through the DevTools protocol, which the page's content security policy does not govern (a <script>
# tag would be refused by script-src 'self'); the trailing expression makes it a value Playwright can return.
AXE_JS_EXPRESSION = AXE_JS + "\n;typeof window.axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = (DESKTOP, PHONE)


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS_EXPRESSION)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
            }));
        }""",
        WCAG_TAGS,
    )
    return [v for v in result if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict], where: str) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:4]:
            summary = " ".join(node["summary"].split())[:240]
            lines.append(f"      {node['target']}  {summary}")
    return "\n".join(lines)


def audit_widths(page, label: str) -> list[str]:
    """Audit the loaded page at desktop and phone width; the descriptions of what failed (empty when clean).

    The viewport is changed on the loaded page rather than loading it twice: media queries and the collapsed menu
    follow the new width, and the page keeps whatever state the journey brought it to.
    """
    problems = []
    original = page.viewport_size
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.wait_for_timeout(120)  # layout and the page's resize handlers (app.js marks scroll regions)
        found = axe_violations(page)
        if found:
            problems.append(describe(found, f"{label} at {size['width']} px"))
    if original:
        page.set_viewport_size(original)
    return problems


def assert_accessible(page, label: str | None = None) -> None:
    """Fail on any serious or critical axe violation at 1280 px or 390 px on the page as it is now."""
    problems = audit_widths(page, label or page.url)
    assert not problems, "axe-core found serious or critical violations\n" + "\n".join(problems)
