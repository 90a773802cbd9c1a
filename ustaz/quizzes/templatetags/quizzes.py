from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] for a saved answer (a dict with string keys), or None."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(str(key))


@register.filter
def place_of(order, item):
    """1-based place of an item in a saved ordering, or ''."""
    if not isinstance(order, list):
        return ""
    try:
        return [int(i) for i in order].index(int(item)) + 1
    except (ValueError, TypeError):
        return ""


@register.filter
def lookup_int(mapping, key):
    """mapping[key] for a dict with integer keys, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None
