"""Schemathesis hooks for ferd's JSON API, loaded by tests/api/run.sh through SCHEMATHESIS_HOOKS.

- A check of our own: every 4xx answer is a JSON problem (`{"error", "message", "field"}`) with a message a
  person can act on. (Schemathesis's own `not_a_server_error` already fails any 5xx.)
- Valid requests that name a member of staff by e-mail (who acknowledges an alert, which therapist a new client
  gets) sometimes name the practice's real admin, so that those operations are exercised past "no such member of
  staff" as well. Only positive cases are changed, so a deliberately invalid case stays invalid.
"""

import json
import os
import zlib

import schemathesis

STAFF_EMAIL = os.environ.get("FERD_API_STAFF_EMAIL", "")
STAFF_FIELDS = {"acknowledged_by", "therapist"}


@schemathesis.check
def refusals_are_json_problems(ctx, response, case):
    """Every 4xx is application/json with a non-empty `error` and `message`."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = ", ".join(response.headers.get("content-type", []))
    assert content_type.split(";")[0].strip() == "application/json", (
        f"{response.status_code} answered with Content-Type {content_type!r}, not application/json"
    )
    try:
        body = json.loads(response.content or b"")
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} answered with a body that is not JSON: {exc}") from None
    assert isinstance(body, dict), f"{response.status_code} answered with {type(body).__name__}, not an object"
    for key in ("error", "message"):
        value = body.get(key)
        assert isinstance(value, str) and value.strip(), f"{response.status_code} problem without `{key}`: {body}"
    assert len(body["message"]) >= 10, f"{response.status_code} message too short to help: {body['message']!r}"
    assert "field" in body, f"{response.status_code} problem without `field`: {body}"
    return None


@schemathesis.hook
def map_case(context, case):
    if not STAFF_EMAIL or case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    body = case.body
    # Half of them, chosen by the body itself, so a case and its replay are the same.
    if isinstance(body, dict) and zlib.crc32(json.dumps(body, sort_keys=True, default=str).encode()) % 2:
        for field in STAFF_FIELDS & body.keys():
            body[field] = STAFF_EMAIL
    return case
