"""Memory: FSRS scheduling (`scheduler`, the one place that imports `fsrs`), the FSRS-6 equations
(`model`), fitting weights (`optimizer`), scoring predictions (`evaluation`), the exam-date rules
(`planning`) and the learner simulation (`simulation`)."""
