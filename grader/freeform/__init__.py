"""Free-form submissions: read any text-like file and find each part's answer in it."""

from grader.text.characters import fold_digits
from grader.freeform.document import Document, read_document
from grader.freeform.errors import UnreadableFile
from grader.freeform.extract import Extraction, PartExtraction, extract_answers
from grader.freeform.layout import AssignmentLayout, PartLayout, layout_from_part_ids
from grader.submissions.inputs import Candidate

__all__ = [
    "AssignmentLayout", "Candidate", "Document", "Extraction", "PartExtraction", "PartLayout", "UnreadableFile",
    "extract_answers", "fold_digits", "layout_from_part_ids", "read_document",
]
