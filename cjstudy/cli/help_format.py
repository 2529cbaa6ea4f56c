"""Help pages that read well: examples one per line, whole summaries, plain placeholders.

Applied to each command as the root group hands it out (`ErrorReportingGroup.get_command`),
so every command written as `Examples: a  ·  b` gets the same layout without repeating it:

- an `Example:`/`Examples:` paragraph becomes a block that is never re-wrapped, one example
  a line, so the terminal never breaks an example in the middle of a token;
- the command list shows each command's whole first sentence (wrapped), not a cut-off one;
- arguments show their metavar as written (`DECK`, `[CARD]`), without Typer's type labels
  (`<str>`, `<list[Path]>`) or braces (`{DECK}`).
"""

from __future__ import annotations

import re
from typing import Any

EXAMPLES = re.compile(r"^(Examples?):\s*(.*)$", re.S)
STARTS_EXAMPLE = ("cjstudy ", "printf ", "echo ")


def split_examples(text: str) -> list[str]:
    """The examples of one paragraph: `·` separates them, and so does a new line that starts one."""
    found: list[str] = []
    for chunk in text.split("·"):
        for line in chunk.strip().splitlines():
            line = line.strip()
            if not line:
                continue
            if found and not line.startswith(STARTS_EXAMPLE) and not started_here(chunk, line):
                found[-1] += " " + line
            else:
                found.append(line)
    return found


def started_here(chunk: str, line: str) -> bool:
    """True for the first line of a `·` chunk (it starts an example whatever it begins with)."""
    return chunk.strip().startswith(line)


def tidy_help_text(help_text: str) -> str:
    """The docstring with its example paragraph laid out one example a line (click's `\\b` block)."""
    paragraphs = re.split(r"\n\s*\n", help_text.strip())
    out = []
    for paragraph in paragraphs:
        match = EXAMPLES.match(paragraph.strip())
        if match is None or paragraph.lstrip().startswith("\b"):
            out.append(paragraph)
            continue
        examples = [example.replace("{in_30_days}", _in_30_days()) for example in split_examples(match.group(2))]
        out.append(f"{match.group(1)}:")
        out.append("\b\n" + "\n".join(f"  {example}" for example in examples))
    return "\n\n".join(out)


def _in_30_days() -> str:
    """A date a month ahead, so an example exam date still works when pasted next year."""
    from datetime import date, timedelta

    return (date.today() + timedelta(days=30)).isoformat()


def first_sentence(help_text: str) -> str:
    """The help's first sentence (up to a '. ' outside brackets, or the first paragraph), whole."""
    paragraph = " ".join(re.split(r"\n\s*\n", help_text.strip(), maxsplit=1)[0].split())
    depth = 0
    for index, char in enumerate(paragraph):
        depth += (char in "([") - (char in ")]")
        if char == "." and depth <= 0 and (index + 1 == len(paragraph) or paragraph[index + 1] == " "):
            return paragraph[:index]
    return paragraph


def _plain_usage_name(param: Any) -> str:
    name = param.metavar or param.name.upper()
    if not param.required and not name.startswith("["):
        name = f"[{name}]"
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name


def _option_label(param: Any) -> str:
    """A plain placeholder for an option without a metavar: a number is N, else its name."""
    kind = getattr(getattr(param, "type", None), "name", "")
    if kind in ("integer", "float") or kind.endswith("range"):
        return "N"
    return (param.name or "value").upper().replace("_", "-")


def tidy_command(command: Any) -> Any:
    """Rewrite one command's help in place (once); groups pass it on to their commands."""
    if getattr(command, "_cjstudy_tidy", False):
        return command
    command._cjstudy_tidy = True
    if command.help:
        command.help = tidy_help_text(command.help)
        if not command.short_help:
            command.short_help = first_sentence(command.help)
    for param in getattr(command, "params", []):
        if param.param_type_name == "argument":
            name = _plain_usage_name(param)
            param._usage_display_name = lambda name=name: name
            param.get_usage_pieces = lambda ctx, name=name: [name]
            param.display_type_rich = lambda ctx: None
            param._rich_display_name = lambda param=param: (param.metavar or param.name.upper()).strip("[]")
        elif param.metavar is None and not getattr(param, "is_flag", False):
            label = _option_label(param)
            param.display_type_rich = lambda ctx, label=label: label
    for sub in getattr(command, "commands", {}).values():
        tidy_command(sub)
    return command
