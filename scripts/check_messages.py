"""Fail when the committed zh-hans catalogue is out of step with the source.

Run as ``.venv/bin/python scripts/check_messages.py`` (``make check-messages``; CI runs it too).
It reports, and exits 1 on, any of:

* msgids that ``makemessages -l zh_Hans --no-location --no-obsolete`` would add to the committed
  ``django.po`` (strings marked for translation but never extracted), or would drop from it
  (strings no longer in the source);
* entries of the committed ``django.po`` that are untranslated or fuzzy;
* a committed ``django.mo`` that is missing or does not hold what ``msgfmt`` makes of the ``django.po``.

``makemessages`` runs on a temporary copy of the package, so the working tree is never touched. The fix
for the first two is ``make messages`` and translating; for the last, ``make messages`` (which compiles).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "redchain"
LOCALE = "zh_Hans"
CATALOGUE = Path("locale") / LOCALE / "LC_MESSAGES"
# The same flags as the Makefile's ``messages`` target, so that a clean ``make messages`` passes here.
MAKEMESSAGES_FLAGS = ["-l", LOCALE, "--no-location", "--no-obsolete"]
GETTEXT_PROGRAMS = ["xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt"]
# Long lists help nobody; the first few say what to do.
SHOW_AT_MOST = 40

# A settings module for the copy: everything as in production, except that the only locale path is the
# copy's own. Without it makemessages would also consider (and create) the real package's locale folder.
COPY_SETTINGS = """\
from redchain.config.settings import *  # noqa: F403

LOCALE_PATHS = [{locale!r}]
"""

Key = tuple[str, str, str]


def main() -> int:
    missing_programs = [name for name in GETTEXT_PROGRAMS if shutil.which(name) is None]
    if missing_programs:
        print(
            f"error: GNU gettext is not installed (missing: {', '.join(missing_programs)}).\n"
            "       Install it with: apt-get install gettext",
            file=sys.stderr,
        )
        return 2
    po_path = PACKAGE / CATALOGUE / "django.po"
    if not po_path.is_file():
        print(
            f"error: the catalogue {po_path.relative_to(ROOT)} does not exist.\n"
            "       Create it with `make messages`, translate every entry, and commit the .po and the .mo.",
            file=sys.stderr,
        )
        return 1
    committed = polib.pofile(str(po_path))
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="redchain-messages-") as tmp:
        extracted = extract_catalogue(Path(tmp))
        compiled = compile_catalogue(po_path, Path(tmp), problems)
        problems += compare_msgids(committed=committed, extracted=extracted)
        problems += incomplete_entries(committed)
        if compiled is not None:
            problems += compare_mo(po_path.with_suffix(".mo"), compiled)
    if problems:
        print(f"The {LOCALE} catalogue needs work:", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        print(
            "Fix with `make messages`, translate the entries, and commit the .po and the .mo.",
            file=sys.stderr,
        )
        return 1
    print(f"The {LOCALE} catalogue is complete and compiled ({len(committed)} entries).")
    return 0


def extract_catalogue(tmp: Path) -> polib.POFile:
    """Run makemessages on a copy of the package (committed .po included) and return the result."""
    copy = tmp / "redchain"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "vendor"))
    (tmp / "check_messages_settings.py").write_text(COPY_SETTINGS.format(locale=str(copy / "locale")))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "check_messages_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp), os.environ.get("PYTHONPATH")])),
        "DEBUG": "1",
        # Settings create their var/ folder on import; keep it out of the copy and the work tree.
        "REDCHAIN_VAR_DIR": str(tmp / "var"),
    }
    command = [sys.executable, "-m", "django", "makemessages", *MAKEMESSAGES_FLAGS, "--verbosity", "0"]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        raise SystemExit(f"error: makemessages failed with exit code {result.returncode}")
    return polib.pofile(str(copy / CATALOGUE / "django.po"))


def compile_catalogue(po_path: Path, tmp: Path, problems: list[str]) -> polib.MOFile | None:
    """Compile the committed .po as compilemessages would; a format error is itself a problem."""
    mo_path = tmp / "expected.mo"
    command = ["msgfmt", "--check-format", "-o", str(mo_path), str(po_path)]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        problems.append(f"msgfmt rejects the .po:\n{result.stderr.rstrip()}")
        return None
    return polib.mofile(str(mo_path))


def entry_key(entry: polib._BaseEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def describe(key: Key) -> str:
    context, msgid, plural = key
    text = repr(msgid)
    if plural:
        text += f" (plural {plural!r})"
    if context:
        text += f" (context {context!r})"
    return text


def compare_msgids(*, committed: polib.POFile, extracted: polib.POFile) -> list[str]:
    have = {entry_key(e) for e in committed if not e.obsolete}
    want = {entry_key(e) for e in extracted if not e.obsolete}
    added = shorten([f"not in the catalogue yet: {describe(key)}" for key in sorted(want - have)])
    dropped = shorten([f"no longer in the source: {describe(key)}" for key in sorted(have - want)])
    return added + dropped


def incomplete_entries(committed: polib.POFile) -> list[str]:
    problems = []
    for entry in committed:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(entry_key(entry))}")
        elif not entry.translated():
            problems.append(f"untranslated: {describe(entry_key(entry))}")
    return shorten(problems)


def mo_catalogue(mo: polib.MOFile) -> dict[Key, tuple[str, ...]]:
    """What a .mo file translates to, keyed like the .po: single strings and plural forms alike."""
    catalogue = {}
    for entry in mo:
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            forms = (entry.msgstr,)
        catalogue[entry_key(entry)] = forms
    return catalogue


def compare_mo(mo_path: Path, expected: polib.MOFile) -> list[str]:
    if not mo_path.is_file():
        return [f"{mo_path.relative_to(ROOT)} is missing; compile it with `make messages`"]
    # File times say nothing in a fresh clone, so the test is what the two files translate, not their age.
    actual = mo_catalogue(polib.mofile(str(mo_path)))
    wanted = mo_catalogue(expected)
    stale = sorted(key for key in wanted.keys() | actual.keys() if wanted.get(key) != actual.get(key))
    if not stale:
        return []
    details = shorten([f".mo differs from the .po for {describe(key)}" for key in stale])
    return [
        f"{mo_path.relative_to(ROOT)} is out of date with the .po; recompile with `make messages`",
        *details,
    ]


def shorten(lines: list[str]) -> list[str]:
    if len(lines) <= SHOW_AT_MOST:
        return lines
    return [*lines[:SHOW_AT_MOST], f"... and {len(lines) - SHOW_AT_MOST} more like these"]


if __name__ == "__main__":
    sys.exit(main())
