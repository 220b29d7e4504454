"""Sets up the S3-compatible test server (moto) so that it checks signatures.

moto_server is started with INITIAL_NO_AUTH_ACTION_COUNT=3: its first three requests are
not authenticated, every later one must carry a valid AWS Signature V4 of an IAM user it
knows. This script spends those three on creating such a user, its access key and a policy
allowing everything, and prints the key as shell assignments. From then on a wrong secret
gets moto's 403 SignatureDoesNotMatch, so the tests check our SigV4 against a real server.

Usage: s3_setup.py ENDPOINT   (prints PAWN_TEST_S3_ACCESS_KEY=… PAWN_TEST_S3_SECRET_KEY=…)
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
iam = boto3.client(
    "iam", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="setup", aws_secret_access_key="setup",
)
iam.create_user(UserName="pawnshop-tests")
key = iam.create_access_key(UserName="pawnshop-tests")["AccessKey"]
iam.put_user_policy(
    UserName="pawnshop-tests", PolicyName="everything",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }),
)
print(f"PAWN_TEST_S3_ACCESS_KEY={key['AccessKeyId']} PAWN_TEST_S3_SECRET_KEY={key['SecretAccessKey']}")
