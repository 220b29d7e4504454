"""The OpenAPI contract against the running server: validate Docs/openapi.yaml, then run
schemathesis against BASE_URL with every check. Usage: contract.py BASE_URL [MAX_EXAMPLES]

The fuzzing runs on a copy of the contract without the Idempotency-Key header: reusing a
key with another body is answered 422 by design, which a generator cannot know; the
end-to-end tests cover that header. Prints a JSON summary line last; exits non-zero when
the contract is invalid or schemathesis finds a failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

base_url = sys.argv[1]
max_examples = sys.argv[2] if len(sys.argv) > 2 else "25"
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec_path = os.path.join(root, "Docs", "openapi.yaml")

spec, _ = read_from_filename(spec_path)
validate(spec)

with open(spec_path) as handle:
    document = yaml.safe_load(handle)
for path in document["paths"].values():
    for operation in path.values():
        operation["parameters"] = [p for p in operation.get("parameters", []) if p.get("$ref") != "#/components/parameters/IdempotencyKey"]
        if not operation["parameters"]:
            del operation["parameters"]
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
    yaml.safe_dump(document, handle)
    fuzz_spec = handle.name

workdir = tempfile.mkdtemp()  # schemathesis keeps a cache in its working directory
# schemathesis's command through this interpreter: a console script that pip just
# installed may not be on PATH yet (pyenv, for one, needs a rehash).
command = [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; "
           "sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())"]
result = subprocess.run(
    command + ["run", fuzz_spec, "--url", base_url, "--checks", "all", "--max-examples", max_examples,
     "--seed", "20261124", "--no-color"],
    capture_output=True, text=True, cwd=workdir)
os.unlink(fuzz_spec)
output = result.stdout + result.stderr
generated = re.search(r"(\d+) generated", output)
summary = {"valid": True, "exit": result.returncode, "generated": int(generated.group(1)) if generated else None,
           "server_errors": output.count("Server error")}
if result.returncode != 0:
    print(output[-6000:])
print(json.dumps(summary))
sys.exit(result.returncode)
