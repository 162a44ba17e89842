"""``grade review``: a local web app where course staff decide the flagged parts of a run, answer group by
answer group; every decision goes to overrides.yaml at once (see grader/review/overrides.py).

Starlette and uvicorn are imported only here and below, so ``grade --help`` stays fast."""

from grader.review.app.server import ReviewServer, review_url, serve
from grader.review.app.web import make_app

__all__ = ["ReviewServer", "make_app", "review_url", "serve"]
