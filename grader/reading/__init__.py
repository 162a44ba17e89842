"""Turn a submission file into normalised text (`read_document`), or say why not (`UnreadableFile`)."""

from grader.reading.digits import fold_digits
from grader.reading.document import Document, Kind, read_document
from grader.reading.errors import UnreadableFile

__all__ = ["Document", "Kind", "UnreadableFile", "fold_digits", "read_document"]
