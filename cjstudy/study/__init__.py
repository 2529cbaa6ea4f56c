"""The study session: the queue, answering, undo, burying, exam-date pacing, and the stats figures."""
