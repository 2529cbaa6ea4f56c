"""The shared line editor in `study --type`, in a pseudo-terminal: no escape code is graded."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjstudy.model import Rating
from test_pty_study import DECK, spawn, stored

pexpect = pytest.importorskip("pexpect")


def test_study_type_answer_is_edited_with_arrows_and_up_recalls(tmp_path: Path, isolated_home: Path):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "pty-study.yaml").write_text(DECK, encoding="utf-8")
    child = spawn(["--decks", str(folder), "study", "--deck", "pty-study", "--type"], isolated_home)
    try:
        child.expect("your answer")
        child.send("Frst bak")
        child.send("\x1b[D\x1b[D\x1b[D\x1b[D")  # ← ×4: "Frst| bak"
        child.send("\x1b[H\x1b[C")  # Home, →: after "F"
        child.send("i")
        child.send("\x1b[F\x1b[D\x1b[D")  # End, ← ←: "First b|ak"
        child.send("\x1b[C")  # →: "First ba|k"
        child.send("c")
        child.send("\r")
        child.expect("✓ right")
        child.send("3")
        child.expect("→ Good")
        child.expect("your answer")
        child.send("\x1b[A")  # ↑: the earlier answer comes back, editable
        child.send("\x15Second back\r")  # Ctrl-U clears it first
        child.expect("✓ right")
        child.send("3")
        child.expect("→ Good")
        child.expect("your answer")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        output = child.before
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert "^[[" not in output
    assert stored(isolated_home) == [("pty-study/one", Rating.GOOD), ("pty-study/two", Rating.GOOD)]
