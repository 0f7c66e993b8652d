"""Copy the student notebooks into a learner's workspace without overwriting their work.

Usage: python scripts/workspace.py RELEASE_DIR WORKSPACE_DIR
Files that already exist in the workspace are kept as they are; new ones (a notebook added to
the course since the last time) are copied in.
"""

import shutil
import sys
from pathlib import Path


def copy_missing(release, workspace):
    added = []
    for source in sorted(release.rglob("*")):
        target = workspace / source.relative_to(release)
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            added.append(target)
    return added


if __name__ == "__main__":
    release, workspace = map(Path, sys.argv[1:3])
    for path in copy_missing(release, workspace):
        print(f"added {path}")
    print(f"Your notebooks are in {workspace}/ (your own copy: edit freely).")
