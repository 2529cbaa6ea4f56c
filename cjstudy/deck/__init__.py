"""Deck files: safe YAML reading, validation with positions, expansion into study cards."""

from cjstudy.deck.loader import DeckSet, deck_files, load_deck_set, parse_deck, read_all, read_deck_file

__all__ = ["DeckSet", "deck_files", "load_deck_set", "parse_deck", "read_all", "read_deck_file"]
