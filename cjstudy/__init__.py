"""cjstudy: terminal flashcards and mock exams for customer-journey concepts."""

__version__ = "0.1.0"
