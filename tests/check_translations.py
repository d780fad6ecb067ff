"""Check a catalogue: every string translated, nothing fuzzy, compiled .mo current.

Run by `make check-messages` on the English catalogue (after `makemessages` has refreshed it from the
source strings) and on the hand-maintained Swedish overrides.
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

import polib


def _catalog(mo_path: Path) -> dict[str, str]:
    with mo_path.open("rb") as handle:
        return {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if k}  # type: ignore[attr-defined]


def main(po_path: str) -> int:
    po = polib.pofile(po_path)
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    mo_path = Path(po_path).with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{mo_path} is missing")
    else:
        fresh = Path(po_path).with_suffix(".check.mo")
        po.save_as_mofile(str(fresh))
        try:
            if _catalog(fresh) != _catalog(mo_path):
                problems.append(f"{mo_path} is older than {po_path}")
        finally:
            fresh.unlink()
    if problems:
        print(f"{po_path} is not complete; run `make messages` and translate:")
        print("\n".join(f"  - {p}" for p in problems))
        return 1
    print(f"{po_path}: {len(po.translated_entries())} strings, all translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
