"""The journal's cells, built in Python: a 300 x 40 journal is 12,000 of them, and a template include per
cell cost seconds. Each cell is a bare input; journal.js posts it (the item from data-i, the student from
the row's data-s), and the row and column headers name it for screen readers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

LOCK_ICON = (
    ' <svg class="lock" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">'
    '<path d="M8 1a3 3 0 0 0-3 3v3H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-1V4a3 '
    '3 0 0 0-3-3zm-2 6V4a2 2 0 1 1 4 0v3H6z"/></svg>'
)


def display(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def cell(
    *,
    student_id: int,
    item_id: int,
    value: Decimal | str | None,
    editable: bool,
    locked: bool,
    error: str | None = None,
) -> SafeString:
    shown = escape(display(value))
    td_class = "jc table-danger" if error else "jc"
    if editable:
        invalid = " is-invalid" if error else ""
        inner = (
            f'<input class="ji form-control{invalid}" value="{shown}" inputmode="decimal" '
            f'autocomplete="off" size="4" data-i="{item_id}" aria-labelledby="s{student_id} i{item_id}">'
        )
    else:
        inner = shown + (LOCK_ICON if locked else "")
    if error:
        inner += format_html('<div class="invalid-feedback d-block small" role="alert">{}</div>', error)
    return mark_safe(f'<td id="c{student_id}-{item_id}" class="{td_class}">{inner}</td>')  # noqa: S308 - escaped above


def row_cells(*, student_id: int, items, points, editable_ids: set[int]) -> SafeString:
    # Each cell escapes its own content.
    cells = "".join(
        cell(
            student_id=student_id, item_id=item.pk, value=value, editable=item.pk in editable_ids, locked=item.is_closed
        )
        for item, value in zip(items, points, strict=True)
    )
    return mark_safe(cells)  # noqa: S308
