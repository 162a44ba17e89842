"""A real browser on the review page: the real server (uvicorn on a free port of 127.0.0.1, in a thread),
Debian's headless Chromium driven through chromedriver with selenium. A TA opens the queue, decides one answer
group, and the decision is in overrides.yaml at once and in grades.csv after the next grading run.

Screenshots of every page go to a temporary folder (or to $REVIEW_SCREENSHOTS when set), to be looked at.
Skipped only when chromium or chromedriver is missing, and never under CI (which installs them)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from grader.problems.loader import load_assignment_dir
from grader.review.app import ReviewServer, make_app
from grader.review.app.guard import new_token
from grader.review.app.server import bind
from grader.review.overrides import load_overrides
from tests.review.course import GOOD, grade_course, make_course

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_or_skip(profile: Path):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        reason = (f"{' and '.join(missing)} not installed (Debian: apt-get install chromium chromium-driver; "
                  ".ci/run installs them)")
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-default-apps", "--disable-extensions", f"--user-data-dir={profile}",
                 "--window-size=1280,1000", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def submit(driver, button) -> None:
    """Click a submit button and wait until the browser has loaded the answer (the 303's target)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


class Shots:
    """Full-page screenshots, one per page state, in order."""

    def __init__(self, driver, folder: Path) -> None:
        self.driver, self.folder, self.taken = driver, folder, []
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, name: str, *, whole: bool = True) -> Path:
        """The whole page (``whole``), or the window as it shows the page (a long page at its anchor)."""
        if whole:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(1280, max(600, min(int(height) + 120, 8000)))
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        assert self.driver.save_screenshot(str(path)), path
        self.driver.set_window_size(1280, 1000)
        self.taken.append(path)
        return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = make_course(tmp_path / "course")
    grade_course(root)
    return root


@pytest.fixture
def server(course: Path):
    token = new_token()
    app = make_app(reports_dir=course / "reports", overrides_path=course / "overrides.yaml", by="ta.lee",
                   token=token, assignment=load_assignment_dir(folder=course / "problems" / "dl-basics"),
                   regrade_hint="grade subs --out reports")
    running = ReviewServer(app=app, sock=bind(port=0), token=token)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def browser(tmp_path: Path):
    driver = _browser_or_skip(tmp_path / "profile")
    yield driver
    driver.quit()


def test_a_ta_decides_a_group_in_the_browser_and_the_next_run_applies_it(course: Path, server, browser,
                                                                         tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    shots = Shots(browser, Path(os.environ.get("REVIEW_SCREENSHOTS") or tmp_path / "screenshots"))
    browser.get(server.url)
    assert "Part 6 — 5 students in 3 answer groups" in browser.find_element(By.TAG_NAME, "body").text
    assert "0 of 3 groups decided" in browser.page_source
    assert browser.execute_script("return document.scripts.length") == 0
    shots.take("queue")

    # the group of three identical answers (whitespace apart)
    card = next(c for c in browser.find_elements(By.CSS_SELECTOR, "article.group")
                if "3 students" in c.find_element(By.TAG_NAME, "header").text)
    anchor = card.get_attribute("id")
    form = card.find_element(By.CSS_SELECTOR, "form.decide:not(.one)")
    form.find_element(By.NAME, "score").send_keys("0.5")
    form.find_element(By.NAME, "comment").send_keys("Right idea; say why 1/4 makes the product vanish.")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    assert browser.current_url.endswith(f"?saved={anchor}#{anchor}")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "1 of 3 groups decided" in body and "Saved to overrides.yaml" in body
    assert "3 parts decided here are not in grades.csv yet" in body
    shots.take("queue-after-saving")

    (entry,) = load_overrides(course / "overrides.yaml")
    assert (entry.part, entry.student, entry.answer, entry.score, entry.by) == ("6", None, GOOD, 0.5, "ta.lee")
    assert entry.comment == "Right idea; say why 1/4 makes the product vanish."

    # one student, from the same page
    assert "0.5 / 1" in browser.find_element(By.ID, anchor).text
    other = next(c for c in browser.find_elements(By.CSS_SELECTOR, "article.group")
                 if "ReLU is faster to compute." in c.text)
    form = other.find_element(By.CSS_SELECTOR, "form.decide:not(.one)")
    form.find_element(By.NAME, "score").send_keys("0")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "2 of 3 groups decided" in browser.find_element(By.TAG_NAME, "body").text

    # a refused score is explained, nothing is written
    before = (course / "overrides.yaml").read_text(encoding="utf-8")
    last = browser.find_elements(By.CSS_SELECTOR, "article.group")[-1]
    browser.execute_script("arguments[0].removeAttribute('max')", last.find_element(By.NAME, "score"))
    last.find_element(By.NAME, "score").send_keys("7")
    submit(browser, last.find_element(By.CSS_SELECTOR, "form.decide:not(.one) button"))
    assert "Not saved" in browser.find_element(By.TAG_NAME, "h1").text
    assert "outside 0 to 1 points" in browser.page_source
    shots.take("not-saved")
    assert (course / "overrides.yaml").read_text(encoding="utf-8") == before

    # the student's page is one click away, served from the reports folder
    browser.get(server.url)
    submit(browser, browser.find_element(By.LINK_TEXT, "bob"))
    assert browser.current_url.endswith("/reports/students/bob.html#part-6")
    assert browser.title.startswith("Feedback") and "bob.json" in browser.page_source
    shots.take("student-page", whole=False)
    browser.get(server.url + "reports/index.html")
    shots.take("class-page", whole=False)

    # the next grading run applies the decisions; the page then shows nothing pending
    grade_course(course)
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(
        (course / "reports" / "grades.csv").read_text(encoding="utf-8")))}
    for student in ("ann", "bob", "cyd"):
        assert (rows[student]["6"], rows[student]["overridden"]) == ("0.5", "6")
        assert "6" not in rows[student]["needs_review"].split()
    assert (rows["dee"]["6"], rows["dee"]["overridden"]) == ("0", "6")
    assert (rows["eve"]["6"], rows["eve"]["overridden"], rows["eve"]["needs_review"]) == ("0", "", "6")
    results = json.loads((course / "reports" / "results.json").read_text(encoding="utf-8"))
    bob = next(s for s in results["submissions"] if s["student"] == "bob")["parts"]["6"]
    assert (bob["verdict"], bob["score"], bob["override"]["group"]) == ("overridden", 0.5, entry.group)

    browser.get(server.url)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "2 of 3 groups decided" in body and "not in grades.csv yet" not in body
    shots.take("queue-after-regrading")
    assert len(shots.taken) == 6
