"""Whether a file this process would load code or pickles from is this user's alone.

The cache folder (``GRADER_CACHE_DIR``, else ``~/.cache/grader``) keeps things a later run loads without checking
them again: the checked grading context (grader/grading/snapshot.py) and compiled report templates
(grader/reports/html/environment.py). They are loaded only from a file and folder that belong to this user and
that no one else may write; anything else is made again.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def own_and_private(*paths: Path) -> bool:
    """Whether every one of ``paths`` belongs to this user and no one else may write it (False when the system
    has no owners to compare, or a path cannot be read)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return False
    try:
        for path in paths:
            info = os.stat(path)
            if info.st_uid != getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
    except OSError:
        return False
    return True
