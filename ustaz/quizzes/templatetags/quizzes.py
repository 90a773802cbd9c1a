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
