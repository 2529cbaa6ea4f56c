"""Single-key reading on a real pseudo-terminal: UTF-8, escape sequences, typeahead, restored modes."""

from __future__ import annotations

import os
import pty
import signal
import termios
import threading

import pytest

from cjstudy.ui.keys import (
    ENTER,
    EOF,
    ESCAPE,
    SPACE,
    KeysExhausted,
    ScriptedKeys,
    TerminalKeys,
)


@pytest.fixture
def terminal():
    """A pty pair; a read that would block (keys lost) fails after 5 s instead of hanging."""

    def give_up(signum, frame):
        raise TimeoutError("read_key blocked: the keys written were lost")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(5)
    master, slave = pty.openpty()
    yield master, slave
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    os.close(master)
    os.close(slave)


def test_keys_are_read_without_enter_and_named(terminal):
    master, slave = terminal
    keys = TerminalKeys(slave)
    os.write(master, " \r3qé".encode())
    assert [keys.read_key() for _ in range(5)] == [SPACE, ENTER, "3", "q", "é"]


def test_typeahead_is_kept_between_keys(terminal):
    """Switching modes with TCSANOW must not flush keys typed while a card was drawn."""
    master, slave = terminal
    keys = TerminalKeys(slave)
    os.write(master, b" 3 4")
    assert keys.read_key() == SPACE
    assert [keys.read_key() for _ in range(3)] == ["3", SPACE, "4"]


def test_arrow_keys_collapse_to_one_escape(terminal):
    master, slave = terminal
    keys = TerminalKeys(slave)
    os.write(master, b"\x1b[A")
    assert keys.read_key() == ESCAPE
    os.write(master, b"u")
    assert keys.read_key() == "u"


def test_ctrl_d_is_eof_and_ctrl_c_interrupts(terminal):
    master, slave = terminal
    keys = TerminalKeys(slave)
    # In cbreak mode the terminal itself turns Ctrl-C into SIGINT for a foreground job; read as a
    # byte (no controlling terminal here) it must still stop the loop.
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ISIG
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    # Typed while the key is awaited (non-canonical mode): typed earlier, the line discipline
    # would already have taken Ctrl-D as end-of-file.
    threading.Timer(0.3, os.write, (master, b"\x04\x03")).start()
    assert keys.read_key() == EOF
    with pytest.raises(KeyboardInterrupt):
        keys.read_key()


def test_terminal_mode_is_restored_after_each_key(terminal):
    master, slave = terminal
    before = termios.tcgetattr(slave)
    os.write(master, b"x")
    assert TerminalKeys(slave).read_key() == "x"
    after = termios.tcgetattr(slave)
    assert after[3] == before[3] and after[3] & termios.ICANON and after[3] & termios.ECHO


def test_scripted_keys_give_keys_then_lines_and_fail_when_exhausted():
    script = ScriptedKeys(["space", "answer text", "eof"])
    assert script.read_key() == SPACE
    assert script.read_line("> ") == "answer text"
    with pytest.raises(EOFError):
        script.read_line("> ")
    with pytest.raises(KeysExhausted):
        script.read_key()
