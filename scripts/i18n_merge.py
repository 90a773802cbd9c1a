"""Merge translations kept in i18n/pending/*.json into the kk, ru and en catalogues.

Parallel branches each add their new messages there (a list of {"msgid", "msgid_plural"?, "msgctxt"?, "kk",
"ru"}; for a plural, "kk" and "ru" are lists of the language's forms) instead of editing the .po files, which
would collide. Run `python scripts/i18n_merge.py` then `make messages`; the merged files are removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PENDING = ROOT / "i18n" / "pending"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "ustaz" / "locale" / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def main() -> int:
    files = sorted(PENDING.glob("*.json"))
    catalogues = {language: catalogue(language) for language in ("kk", "ru", "en")}
    for path in files:
        for item in json.loads(path.read_text(encoding="utf-8")):
            for language, po in catalogues.items():
                entry = po.find(item["msgid"], msgctxt=item.get("msgctxt"))
                if entry is None:
                    entry = polib.POEntry(msgid=item["msgid"], msgctxt=item.get("msgctxt"))
                    if item.get("msgid_plural"):
                        entry.msgid_plural = item["msgid_plural"]
                    po.append(entry)
                text = item.get(language) if language != "en" else None
                if item.get("msgid_plural"):
                    forms = text if language != "en" else [item["msgid"], item["msgid_plural"]]
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = text if language != "en" else item["msgid"]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
    for po in catalogues.values():
        po.save()
    for path in files:
        path.unlink()
    print(f"merged {len(files)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
