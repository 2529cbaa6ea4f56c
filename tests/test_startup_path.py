"""`decks` stays light: options left at their default are not coerced (no pydantic import)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from cjstudy.cli import app
try:
    app(sys.argv[1:], prog_name="cjstudy")
except SystemExit as stop:
    code = stop.code
print("PYDANTIC" if "pydantic" in sys.modules else "NO-PYDANTIC", code)
"""


def run(args: list[str], home: Path) -> str:
    env = dict(os.environ, CJSTUDY_HOME=str(home), NO_COLOR="1")
    env.pop("CJSTUDY_DECKS", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, env=env, timeout=60)
    return done.stdout.strip().splitlines()[-1]


def test_decks_and_help_do_not_import_pydantic(isolated_home: Path):
    assert run(["decks"], isolated_home) == "NO-PYDANTIC 0"
    assert run(["decks", "--json"], isolated_home) == "NO-PYDANTIC 0"
    assert run(["stats", "--help"], isolated_home) == "NO-PYDANTIC 0"


def test_options_that_are_given_are_still_checked_and_converted(isolated_home: Path, tmp_path: Path):
    assert run(["decks", "--decks", str(tmp_path)], isolated_home).endswith(" 0")
    assert run(["simulate", "--cards", "x"], isolated_home).endswith(" 2")  # not a number: usage error


def test_grade_with_text_arguments_never_imports_pydantic(tmp_path):
    """`grade ADDRESS ANSWER --json`: text and a flag need no coercion (pydantic costs ~60 ms)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, CJSTUDY_HOME=str(tmp_path))
    code = ("import sys; sys.argv = ['cjstudy', 'grade', 'touch-points/tp-categories', 'brand-owned', '--json']\n"
            "from cjstudy.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('PYDANTIC' if 'pydantic' in sys.modules else 'CLEAN', file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stderr.strip().endswith("CLEAN"), result.stderr
    assert '"verdict"' in result.stdout
