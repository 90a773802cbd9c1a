"""The lock is the project's: every dependency of pyproject.toml (and its test extra) is pinned in
requirements.lock at a version its requirement admits, with hashes. Run by scripts/test; `make lock` mends it."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a pip-compile lock."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = (match.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = pins(ROOT / "requirements.lock")
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name} is not in requirements.lock")
            continue
        version, hashes = locked[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} in the lock does not meet {requirement.specifier}")
    problems += [f"{name} has no hash in requirements.lock" for name, (_v, hashes) in locked.items() if not hashes]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("The lock is out of date: run `make lock`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
