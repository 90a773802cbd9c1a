from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] for a saved answer or an option's media: keys as saved (JSON strings) or as integers."""
    if not isinstance(mapping, dict):
        return None
    return mapping[key] if key in mapping else mapping.get(str(key))


@register.filter
def place_of(order, item):
    """1-based place of an item in a saved ordering, or ''."""
    if not isinstance(order, list):
        return ""
    try:
        return [int(i) for i in order].index(int(item)) + 1
    except (ValueError, TypeError):
        return ""


def render_text(text, text_format: str) -> str:
    """A question's text (option, feedback) as HTML, by its format: plain text escaped with its lines kept,
    Markdown rendered, HTML and Moodle's auto-format (HTML with its lines kept) sanitised (ustaz.core.markup)."""
    from django.utils.html import escape

    from ustaz.core.markup import render_markdown, sanitize

    text = "" if text is None else str(text)
    if text_format == "markdown":
        return render_markdown(text)
    if text_format == "html":
        return sanitize(text)
    if text_format == "moodle":
        return sanitize(text.replace("\r\n", "\n").replace("\n", "<br>"))
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


@register.filter
def formatted(text, text_format="plain"):
    """The text rendered by its format, safe to show (see render_text)."""
    from django.utils.safestring import mark_safe

    return mark_safe(render_text(text, text_format))  # noqa: S308 - escaped or sanitised by render_text


@register.filter
def formatted_inline(text, text_format="plain"):
    """As `formatted`, for an option's label: a single paragraph's <p> dropped."""
    import re

    from django.utils.safestring import mark_safe

    html = render_text(text, text_format).strip()
    single = re.fullmatch(r"<p>((?:(?!</?p>).)*)</p>", html, re.S)
    return mark_safe(single.group(1) if single else html)  # noqa: S308 - escaped or sanitised by render_text


@register.filter
def as_text(text, text_format="plain"):
    """The words of a formatted text without its markup, for a <select> option or an aria-label (escaped by
    the template like any other string)."""
    import html

    import nh3

    if text_format == "plain":
        return "" if text is None else str(text)
    return " ".join(html.unescape(nh3.clean(render_text(text, text_format), tags=set())).split())
