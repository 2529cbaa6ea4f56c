"""The note types and deck options cjstudy writes into a package (classic schema 11 JSON).

Ids are fixed numbers so that every export uses the same note types: Anki then recognises them
on the next import and updates notes in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from cjstudy.transfer.ids import stable_int

CSS = """.card {
  font-family: arial;
  font-size: 20px;
  line-height: 1.5;
  text-align: center;
  color: black;
  background-color: white;
}
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.cj-list { display: inline-block; text-align: left; }
.cj-explanation { font-size: 16px; color: #555; }
"""

LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n"
    "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)
LATEX_POST = "\\end{document}"
ANSWER_RULE = "{{FrontSide}}\n\n<hr id=answer>\n\n"


@dataclass(frozen=True)
class NoteType:
    key: str  # basic | reversed | cloze
    name: str
    id: int
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question, answer)
    stock_kind: int  # Anki's originalStockKind: 1 basic, 2 basic and reversed, 5 cloze


BASIC = NoteType(
    "basic", "Basic", stable_int("notetype", "basic"), False, ("Front", "Back"),
    (("Card 1", "{{Front}}", ANSWER_RULE + "{{Back}}"),), 1,
)
REVERSED = NoteType(
    "reversed", "Basic (and reversed card)", stable_int("notetype", "reversed"), False, ("Front", "Back"),
    (("Card 1", "{{Front}}", ANSWER_RULE + "{{Back}}"), ("Card 2", "{{Back}}", ANSWER_RULE + "{{Front}}")), 2,
)
CLOZE = NoteType(
    "cloze", "Cloze", stable_int("notetype", "cloze"), True, ("Text", "Back Extra"),
    (("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),), 5,
)
NOTE_TYPES = (BASIC, REVERSED, CLOZE)


def model_json(note_type: NoteType, deck_id: int, mod: int) -> dict:
    """One entry of the `col.models` JSON object."""
    fields = [
        {"name": name, "ord": i, "sticky": False, "rtl": False, "font": "Arial", "size": 20, "media": []}
        for i, name in enumerate(note_type.fields)
    ]
    templates = [
        {"name": name, "ord": i, "qfmt": question, "afmt": answer, "did": None, "bqfmt": "", "bafmt": ""}
        for i, (name, question, answer) in enumerate(note_type.templates)
    ]
    required = [[i, "any", [0 if note_type.is_cloze else i]] for i in range(len(templates))]
    return {
        "id": note_type.id, "name": note_type.name, "type": 1 if note_type.is_cloze else 0,
        "mod": mod, "usn": -1, "sortf": 0, "did": deck_id, "tmpls": templates, "flds": fields,
        "css": CSS, "latexPre": LATEX_PRE, "latexPost": LATEX_POST, "latexsvg": False,
        "req": required, "tags": [], "vers": [], "originalStockKind": note_type.stock_kind,
    }


def deck_json(deck_id: int, name: str, description: str, mod: int) -> dict:
    return {
        "id": deck_id, "name": name, "desc": description, "mod": mod, "usn": -1,
        "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
        "collapsed": False, "browserCollapsed": False, "dyn": 0, "conf": 1,
        "extendNew": 0, "extendRev": 0,
    }


DECK_OPTIONS = {
    "1": {
        "id": 1, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60, "autoplay": True, "timer": 0,
        "replayq": True, "dyn": False,
        "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0],
                "order": 1, "perDay": 20},
        "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    }
}

COLLECTION_CONF = {
    "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200, "timeLim": 0,
    "estTimes": True, "dueCounts": True, "curModel": BASIC.id, "nextPos": 1, "sortType": "noteFld",
    "sortBackwards": False, "addToCur": True, "schedVer": 2,
}
