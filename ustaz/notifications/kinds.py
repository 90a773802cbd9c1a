"""The kinds of notices. Each area registers its own (in its AppConfig.ready) with a label for the
preferences page and the e-mail delivery a person gets until they choose otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    default_email: str = "instant"  # "instant", "digest" or "off"


_KINDS: dict[str, Kind] = {}


def register(key: str, label: str | Promise, *, default_email: str = "instant") -> Kind:
    if default_email not in ("instant", "digest", "off"):
        raise ValueError(f"unknown e-mail delivery {default_email!r}")
    kind = Kind(key, label, default_email)
    _KINDS[key] = kind
    return kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"notice kind {key!r} is not registered") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)
