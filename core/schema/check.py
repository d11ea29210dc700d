#!/usr/bin/env python3
"""Check pact-v4.schema.json against its fixtures (and, optionally, shared data).

Usage (needs the `jsonschema` package, 4.18 or later):

    python3 -m venv /tmp/schemavenv && /tmp/schemavenv/bin/pip install jsonschema
    /tmp/schemavenv/bin/python core/schema/check.py            # fixtures only
    /tmp/schemavenv/bin/python core/schema/check.py --shared /work/shared

Fixtures live in core/tests/data/schema/:
  valid/*.json    must produce no error at all;
  invalid/*.json  must produce at least one error, and every error must be located
                  at the JSON pointer held in the sibling NAME.expect file (one line).

With --shared DIR, V4 pact-like data found under DIR is wrapped into full V4 pacts
and validated too: pact-spec/v4 request/response/message fragments, the
pact-compat matching-rule and generator fixtures, and the full pacts in
pact-compat/fixtures. Known-bad inputs are listed in EXPECTED_SHARED_FAILURES.
"""

import argparse
import copy
import json
import pathlib
import sys

from jsonschema import Draft202012Validator

HERE = pathlib.Path(__file__).resolve().parent
SCHEMA = HERE / "pact-v4.schema.json"
FIXTURES = HERE.parent / "tests" / "data" / "schema"

# Shared inputs the schema is meant to reject, with the reason.
EXPECTED_SHARED_FAILURES = {
    "pact-spec/v4/response/body/objects in array with type mismatching.json#actual":
        "the actual body is a raw JSON array, not a V4 body wrapper",
}


def pointer(error):
    """JSON pointer (RFC 6901) of the instance location of a validation error."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path]
    return "".join("/" + p for p in parts)


def errors_of(validator, instance):
    return sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))


def describe(errors):
    return "\n".join(f"      {pointer(e) or '/'}: {e.message[:200]}" for e in errors)


def check_fixtures(validator):
    failures = 0
    valid = sorted((FIXTURES / "valid").glob("*.json"))
    invalid = sorted((FIXTURES / "invalid").glob("*.json"))
    for path in valid:
        errors = errors_of(validator, json.loads(path.read_text()))
        if errors:
            failures += 1
            print(f"FAIL valid/{path.name}: {len(errors)} error(s)\n{describe(errors)}")
        else:
            print(f"ok   valid/{path.name}")
    for path in invalid:
        expect_file = path.with_suffix(".expect")
        if not expect_file.exists():
            failures += 1
            print(f"FAIL invalid/{path.name}: missing {expect_file.name}")
            continue
        expected = expect_file.read_text().strip()
        errors = errors_of(validator, json.loads(path.read_text()))
        where = {pointer(e) for e in errors}
        if not errors:
            failures += 1
            print(f"FAIL invalid/{path.name}: accepted, expected an error at {expected}")
        elif where != {expected}:
            failures += 1
            print(f"FAIL invalid/{path.name}: expected errors only at {expected}, got\n{describe(errors)}")
        else:
            print(f"ok   invalid/{path.name}: {errors[0].message[:100]}")
    print(f"fixtures: {len(valid)} valid, {len(invalid)} invalid, {failures} failure(s)")
    return failures


def pact(interactions):
    return {
        "consumer": {"name": "consumer"},
        "provider": {"name": "provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def http(request=None, response=None):
    request = dict(request or {})
    response = dict(response or {})
    # Matching-case fragments leave out what the case is not about; readers default
    # these the same way (GET, "/", 200).
    request.setdefault("method", "GET")
    request.setdefault("path", "/")
    response.setdefault("status", 200)
    return {"type": "Synchronous/HTTP", "description": "wrapped", "request": request, "response": response}


def message(fragment):
    return dict(fragment, type="Asynchronous/Messages", description="wrapped")


def shared_documents(root):
    """Yield (label, pact document) for every V4 pact-like input under root."""
    spec = root / "pact-spec" / "v4"
    for path in sorted(spec.glob("*/*/*.json")):
        kind = path.relative_to(spec).parts[0]
        case = json.loads(path.read_text())
        for side in ("expected", "actual"):
            if side not in case:
                continue
            fragment = copy.deepcopy(case[side])
            label = f"{path.relative_to(root)}#{side}"
            if kind == "request":
                yield label, pact([http(request=fragment)])
            elif kind == "response":
                yield label, pact([http(response=fragment)])
            else:
                yield label, pact([message(fragment)])

    fixtures = root / "pact-compat" / "fixtures"
    for path in sorted(fixtures.glob("*.json")):
        doc = json.loads(path.read_text())
        label = str(path.relative_to(root))
        if "interactions" in doc:
            yield label, doc
        elif path.name.endswith("-generator.json"):
            yield label, pact([http(request={"generators": doc})])
        elif "-matcher-" in path.name and not path.name.endswith("-v2.json"):
            if "metadata" in doc:
                yield label, pact([message({"matchingRules": doc})])
            elif "status" in doc:
                yield label, pact([http(response={"matchingRules": doc})])
            else:
                yield label, pact([http(request={"matchingRules": doc})])
        elif path.name == "regex-matcher-metadata.json":
            yield label, pact([message({"matchingRules": doc})])

    # Inline JSON generators and matching rules in the V4 compatibility features.
    for path in sorted((root / "pact-compat" / "features" / "V4").glob("*.feature")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for cell in line.split("|"):
                cell = cell.strip()
                if not cell.startswith("JSON: {"):
                    continue
                doc = json.loads(cell[len("JSON: "):])
                if "metadata" in doc and all(isinstance(v, dict) and "type" in v for v in doc["metadata"].values()):
                    yield f"{path.relative_to(root)}:{n}", pact([message({"generators": doc})])


def check_shared(validator, root):
    failures = 0
    count = 0
    for label, doc in shared_documents(root):
        count += 1
        errors = errors_of(validator, doc)
        reason = EXPECTED_SHARED_FAILURES.get(label)
        if errors and reason:
            print(f"ok   {label}: rejected as expected ({reason})")
        elif errors:
            failures += 1
            print(f"FAIL {label}\n{describe(errors)}")
        elif reason:
            failures += 1
            print(f"FAIL {label}: accepted, but expected a rejection ({reason})")
    print(f"shared: {count} document(s) checked, {failures} failure(s)")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=pathlib.Path, help="also check V4 data under this directory")
    args = parser.parse_args()

    schema = json.loads(SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)

    failures = check_fixtures(validator)
    if args.shared:
        failures += check_shared(validator, args.shared)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
