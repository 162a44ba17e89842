"""What course staff decide after a run: answer groups to review at once, and overrides that survive re-grading."""
