"""The shape every grader returns, and the wording of feedback shared by all card types."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cjstudy.grading.match import Match
from cjstudy.grading.text import display
from cjstudy.model import Card

VERDICTS = ("correct", "partial", "wrong", "unsure")


@dataclass(frozen=True)
class GradeResult:
    """The verdict on one typed answer.

    `expected` is what to show as the right answer; `feedback` is one line explaining the
    verdict (typo corrected, accents, missing items, …), empty when there is nothing to say.
    `verdict` is one of VERDICTS: `unsure` means the grader cannot tell and the student (or
    examinee) judges the answer against the model answer; `correct` is True only for `correct`.
    Left empty, it follows `correct` and `score`.
    """

    correct: bool
    score: float
    expected: str
    feedback: str = ""
    typo: bool = False
    accent_only: bool = False
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    verdict: str = ""

    def __post_init__(self) -> None:
        if not self.verdict:
            object.__setattr__(self, "verdict", "correct" if self.correct else "partial" if self.score > 0 else "wrong")
        elif self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {self.verdict!r}")
        if self.correct != (self.verdict == "correct"):
            raise ValueError(f"correct={self.correct} contradicts verdict {self.verdict!r}")

    def to_dict(self) -> dict[str, object]:
        """The fields `cjstudy grade --json` prints."""
        return {"correct": self.correct, "score": self.score, "expected": self.expected, "feedback": self.feedback,
                "verdict": self.verdict}



def expected_text(card: Card) -> str:
    if card.type == "cloze":
        return ", ".join(display(g.answer) for g in card.gaps) or ", ".join(display(e) for e in card.expected)
    if card.type == "list":
        return ", ".join(display(i) for i in card.items)
    if card.type == "sequence":
        return " → ".join(display(i) for i in card.items)
    if card.type == "choice":
        return "; ".join(f"{option_label(card, o)}{o}" for o in card.correct_options)
    return display(card.expected[0]) if card.expected else ""


def option_label(card: Card, option: str) -> str:
    try:
        index = card.options.index(option)
    except ValueError:
        return ""
    return f"{'abcdefghijklmnopqrstuvwxyz'[index]}) " if index < 26 else f"{index + 1}. "


def with_feedback(result: GradeResult, extra: str) -> GradeResult:
    return replace(result, feedback="; ".join(p for p in (result.feedback, extra) if p))


def match_note(given: str, match: Match) -> str:
    """What to tell the student about an accepted-but-imperfect or refused answer."""
    if match.rival is not None:
        return f"'{short(given)}' is closer to another answer ({match.rival})"
    if match.doubtful:
        return f"'{match.doubtful}' is a word of its own: did you mean {match.target}? check it yourself"
    if match.accent_only:
        return f"mind the accents: {match.target}"
    if match.typo:
        return f"typo: '{short(given)}' → {match.target}"
    return ""


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


