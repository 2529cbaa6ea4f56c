"""Mock exams: the questions (`questions`), building one from decks (`build`), scoring it (`score`)."""
