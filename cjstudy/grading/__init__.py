"""Judging typed answers: language-aware text, matching, lists and sequences, choices, the result.

`grade.grade(card, given, siblings)` is the entry point. Kept free of imports here so that
loading a deck (which shares the answer-display rule in `text`) does not load the matcher.
"""
