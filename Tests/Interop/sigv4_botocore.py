"""botocore's Signature Version 4 signer as the independent peer of PawnS3's SigV4Signer.
Usage: sigv4_botocore.py < requests.json

Standard input is a JSON list of requests, each {"method", "path" (decoded, "/" first),
"query": [[name, value], ...] (decoded), "headers": [[name, value], ...] (the request's own,
in order, without X-Amz-Date, X-Amz-Security-Token or X-Amz-Content-SHA256), "body" (text,
sent as UTF-8), "region", "service", "accessKey", "secretKey", "token" (optional) and
"timestamp" (seconds since 1970)}. Prints one JSON object per request, in order:
{"timestamp", "canonicalRequest", "stringToSign", "authorization"}, from
botocore.auth.SigV4Auth (S3SigV4Auth for the service "s3") signing at that instant. botocore
adds X-Amz-Date, the session token and, for S3, X-Amz-Content-SHA256 itself, as it does
before it sends a request.
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode

EPOCH = datetime.datetime(1970, 1, 1)


def sign(spec):
    credentials = Credentials(spec["accessKey"], spec["secretKey"], spec.get("token"))
    s3 = spec["service"] == "s3"
    signer = (S3SigV4Auth if s3 else SigV4Auth)(credentials, spec["service"], spec["region"])
    host = next(value for name, value in spec["headers"] if name.lower() == "host")
    if s3:
        # botocore's REST serializer percent-encodes an S3 key (everything but the unreserved
        # characters and "/") and S3SigV4Auth signs that path as it is.
        path = percent_encode(spec["path"], safe="/~")
    else:
        # SigV4Auth removes dot segments and empty segments from the URL's path and
        # percent-encodes the result itself: the URL carries the decoded path.
        path = spec["path"]
    request = AWSRequest(
        method=spec["method"],
        url=f"https://{host}{path}",
        data=spec["body"].encode("utf-8"),
        params=[(name, value) for name, value in spec["query"]],
    )
    for name, value in spec["headers"]:
        request.headers[name] = value  # an email.message.Message: repeated names are kept
    now = EPOCH + datetime.timedelta(seconds=spec["timestamp"])  # naive UTC, as botocore's clock
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    # add_auth only logs its intermediate steps: recompute them from the signed request, without
    # the Authorization header it added, and check that they give the same signature.
    del request.headers["Authorization"]
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    signature = signer.signature(string_to_sign, request)
    if not authorization.endswith("Signature=" + signature):
        raise SystemExit(f"botocore's steps do not give its own signature: {authorization}")
    return {
        "timestamp": request.context["timestamp"],
        "canonicalRequest": canonical,
        "stringToSign": string_to_sign,
        "authorization": authorization,
    }


for spec in json.loads(sys.stdin.buffer.read().decode("utf-8")):
    print(json.dumps(sign(spec)))
