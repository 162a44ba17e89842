"""Find each part's answer in a read document: segmentation into problems/parts and answer candidates."""

from grader.extraction.candidates import Candidate
from grader.extraction.extract import Extraction, PartExtraction, extract_answers
from grader.extraction.layout import AssignmentLayout, PartLayout, layout_from_part_ids
from grader.reading.digits import fold_digits

__all__ = [
    "AssignmentLayout", "Candidate", "Extraction", "PartExtraction", "PartLayout",
    "extract_answers", "fold_digits", "layout_from_part_ids",
]
