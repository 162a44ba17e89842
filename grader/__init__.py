"""grader: auto-grading for deep-learning homework answers."""

__version__ = "0.1.0"
