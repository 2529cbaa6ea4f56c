"""Files a user names with -o / --report: written whole, through symlinks, keeping mode, owner and
hard links; never replacing a device or pipe; errors that name the file, not a temp file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cjstudy.cli import app


def schema_to(runner, target: Path):
    return runner.invoke(app, ["schema", "-o", str(target)])


def test_a_device_is_never_replaced(runner):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    result = schema_to(runner, Path("/dev/full"))
    assert result.exit_code == 1
    assert "/dev/full: not a regular file" in result.output
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_report_is_refused_before_the_exam_starts(runner, tmp_path):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["exam", "-n", "1", "--seed", "1", "--report", str(fifo)], input="a\n")
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert "Exam:" not in result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlink_is_written_through_and_stays_a_link(runner, tmp_path):
    real = tmp_path / "real" / "schema.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert schema_to(runner, link).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("{")
    assert not list(tmp_path.glob(".*.tmp")) and not list(real.parent.glob(".*.tmp"))


def test_a_symlink_loop_is_one_clear_line(runner, tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    result = schema_to(runner, loop)
    assert result.exit_code == 1 and "symlink loop" in result.output and ".tmp" not in result.output


def test_a_replaced_file_keeps_its_mode(runner, tmp_path):
    target = tmp_path / "schema.json"
    target.write_text("old")
    target.chmod(0o640)
    assert schema_to(runner, target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text().startswith("{")


def test_hard_links_still_share_the_new_content(runner, tmp_path):
    target = tmp_path / "schema.json"
    target.write_text("old")
    other = tmp_path / "other-name.json"
    os.link(target, other)
    assert schema_to(runner, target).exit_code == 0
    assert other.read_text() == target.read_text() and target.read_text().startswith("{")
    assert os.stat(target).st_ino == os.stat(other).st_ino


def test_a_report_into_a_missing_folder_names_the_folder(runner, tmp_path):
    result = runner.invoke(app, ["exam", "-n", "1", "--seed", "1", "--report", str(tmp_path / "no" / "r.json")],
                           input="a\n")
    assert result.exit_code != 0 and "does not exist" in result.output and ".tmp" not in result.output
