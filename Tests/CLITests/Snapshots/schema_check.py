"""Validates YAML files against a JSON Schema with the jsonschema package: an independent reference for the
schema `tokenwarden schema` prints. Usage: schema_check.py SCHEMA FILE... ; prints one JSON line per file."""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    sys.exit(f"missing {error.name}: pip install jsonschema pyyaml")

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    with open(path) as handle:
        document = yaml.safe_load(handle)
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}" for error in validator.iter_errors(document)]
    print(json.dumps({"path": path, "errors": errors}))
