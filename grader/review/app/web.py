"""The review app: a Starlette application over one reports folder and one overrides.yaml.

``GET /<token>/`` is the review queue; ``POST /<token>/decide`` records a decision (a group's or one student's)
and redirects back to it; ``GET /<token>/reports/<path>`` serves the reports folder read-only (student pages,
class page). results.json is re-read when it changes and overrides.yaml on every request, so the page always
shows the saved decisions and the latest run."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from grader.export.base import ExportError
from grader.export.run import load_run
from grader.problems.models import Assignment
from grader.results import RunResult
from grader.review.app.decide import DecisionError, decide
from grader.review.app.guard import Guard
from grader.review.app.pages import render
from grader.review.app.queue import Queue, build_queue
from grader.review.app.report_files import MEDIA_TYPES, report_file
from grader.review.overrides import OverridesError, load_overrides

#: largest form body accepted (a score and a comment)
MAX_FORM_BYTES = 64 * 1024


@dataclass
class ReviewSite:
    """What one ``grade review`` serves."""

    reports_dir: Path
    overrides_path: Path
    by: str
    token: str
    assignment: Assignment | None = None
    #: the command that re-grades this folder, shown to the person (None: a generic hint)
    regrade_hint: str | None = None
    _cache: tuple[tuple[int, int], RunResult] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def results_path(self) -> Path:
        return self.reports_dir / "results.json"

    def run(self) -> RunResult:
        """The last run's results (re-read when the file changed)."""
        stat = self.results_path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._cache is None or self._cache[0] != stamp:
                self._cache = (stamp, load_run(self.results_path))
            return self._cache[1]

    def queue(self) -> Queue:
        return build_queue(run=self.run(), overrides=load_overrides(self.overrides_path),
                           assignment=self.assignment, reports_dir=self.reports_dir)


def make_app(*, reports_dir: Path, overrides_path: Path, by: str, token: str, assignment: Assignment | None = None,
             regrade_hint: str | None = None) -> Guard:
    """The review app for ``reports_dir`` (a folder with results.json), recording into ``overrides_path``."""
    site = ReviewSite(reports_dir=Path(reports_dir), overrides_path=Path(overrides_path), by=by, token=token,
                      assignment=assignment, regrade_hint=regrade_hint)
    routes = [
        Route("/", _endpoint(site, _queue_page), methods=["GET"]),
        Route("/decide", _endpoint(site, _decide), methods=["POST"]),
        Route("/reports/{path:path}", _endpoint(site, _report_file), methods=["GET"]),
    ]
    app = Starlette(routes=[Mount(f"/{token}", routes=routes)])
    app.state.site = site
    return Guard(app, token=token)


def _endpoint(site: ReviewSite, handler):
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(site, request)
        except (OverridesError, ExportError, OSError) as exc:
            return _message(site, status=500, title="The review queue cannot be shown",
                            text=f"{exc}. Fix it, then reload this page.")
    return endpoint


def _message(site: ReviewSite, *, status: int, title: str, text: str, back: str | None = None) -> HTMLResponse:
    return HTMLResponse(render("message.html", site=site, title=title, text=text, back=back), status_code=status)


async def _queue_page(site: ReviewSite, request: Request) -> Response:
    queue = site.queue()
    saved = request.query_params.get("saved", "")
    waiting_only = request.query_params.get("show") == "waiting"
    return HTMLResponse(render("queue.html", site=site, queue=queue, saved=saved, waiting_only=waiting_only))


async def _decide(site: ReviewSite, request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return _message(site, status=413, title="Not saved", text="The form is too large.")
    async with request.form(max_files=0, max_fields=16, max_part_size=MAX_FORM_BYTES) as form:
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
    queue = site.queue()
    try:
        saved = decide(form=fields, queue=queue, assignment=site.assignment, overrides_path=site.overrides_path,
                       by=site.by)
    except DecisionError as exc:
        return _message(site, status=400, title="Not saved", text=str(exc), back=f"/{site.token}/")
    return RedirectResponse(f"/{site.token}/?saved={saved.anchor}#{saved.anchor}", status_code=303)


async def _report_file(site: ReviewSite, request: Request) -> Response:
    target = report_file(reports_dir=site.reports_dir, relative=request.path_params["path"])
    if target is None:
        return _message(site, status=404, title="Not found",
                        text="Only the files `grade` wrote into the reports folder are served here.",
                        back=f"/{site.token}/")
    return FileResponse(target, media_type=MEDIA_TYPES[target.suffix.lower()])
