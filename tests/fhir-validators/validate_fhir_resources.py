#!/usr/bin/env python3
"""Validate FHIR R4 JSON resources with fhir.resources (its R4B pydantic models).

usage: validate_fhir_resources.py PATH [PATH ...]

Each PATH is a directory (every *.json directly inside it is checked, sorted by
name) or a single .json file. Each file holds one FHIR resource; its
`resourceType` picks the model. Prints `ok <file>` or `FAIL <file>: <reason>`
per file. Exit status: 0 all passed, 1 any failed or no json files found,
2 usage error or the library is missing (run setup.sh first).

R4B is used because fhir.resources ships no R4 package; for the resources ferd
emits (QuestionnaireResponse, Questionnaire, Observation, ...) R4 and R4B do
not differ structurally.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

try:
    import fhir.resources
    from fhir.resources.R4B import get_fhir_model_class
except ImportError as exc:  # pragma: no cover - only without the venv
    print(f"error: cannot import fhir.resources ({exc}); run tests/fhir-validators/setup.sh "
          "and use tests/fhir-validators/.venv/bin/python", file=sys.stderr)
    sys.exit(2)


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.glob("*.json") if f.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            print(f"error: no such file or directory: {p}", file=sys.stderr)
            sys.exit(2)
    return files


def one_line(text: str) -> str:
    return " ".join(text.split())


def check(path: Path) -> str | None:
    """Return None when valid, else a one-line reason."""
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
    except (OSError, ValueError) as exc:
        return f"not readable JSON: {one_line(str(exc))}"
    if not isinstance(doc, dict):
        return "top-level JSON value is not an object"
    rtype = doc.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        return "missing or non-string resourceType"
    try:
        model = get_fhir_model_class(rtype)
    except (KeyError, ValueError, AttributeError, ImportError):
        return f"unknown resourceType {rtype!r}"
    try:
        model.model_validate_json(raw)
    except Exception as exc:  # pydantic.ValidationError and friends
        errors = getattr(exc, "errors", None)
        if callable(errors):
            try:
                errs = errors()
            except Exception:
                errs = []
            if errs:
                first = errs[0]
                loc = ".".join(str(x) for x in first.get("loc", ())) or "<root>"
                more = f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""
                return f"{loc}: {one_line(str(first.get('msg', '')))}{more}"
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        return one_line(lines[0] if lines else type(exc).__name__)
    return None


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    files = collect(argv[1:])
    if not files:
        print(f"FAIL: no *.json files in {' '.join(argv[1:])}")
        return 1
    failed = 0
    for f in files:
        reason = check(f)
        if reason is None:
            print(f"ok {f}")
        else:
            failed += 1
            print(f"FAIL {f}: {reason}")
    print(f"fhir.resources {fhir.resources.__version__}: {len(files) - failed} ok, {failed} failed",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
