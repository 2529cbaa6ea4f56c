"""Anki packages, CSV decks and review logs in and out."""
