#!/usr/bin/env python3
"""A sample client of PopInfo's information sharing service (信息共享服务), for departments.

Uses only the standard library and `requests` (Debian: `apt-get install python3-requests`). Every operation is a
POST with a JSON body: identity numbers never go into a URL, so they reach no access log. See docs/sharing.md.

As a library:

    client = SharingClient("https://sharing.example", token_source=ClientCredentials(
        "https://identity.example/connect/token", "edu-bureau", secret, scope="sharing.read"))
    answer = client.verify("32020219900101123X", "张三", purpose="school-enrolment", case_reference="2026-0001")
    print(answer["outcome"], answer["asOfSequence"])

From a shell (the test suite runs it this way):

    python3 popinfo_sharing.py --base URL --token TOKEN verify --id-number N --name NAME \
        --purpose school-enrolment --case-reference 2026-0001
"""

import argparse
import json
import sys
import time

import requests


class SharingError(Exception):
    """A problem answer (RFC 9457): its status, rule and detail, and Retry-After seconds when limited."""

    def __init__(self, status, problem, retry_after=None):
        self.status = status
        self.problem = problem or {}
        self.retry_after = retry_after
        super().__init__(f"{status} {self.problem.get('rule') or self.problem.get('title') or ''}: {self.problem.get('detail') or ''}")


class ClientCredentials:
    """Fetches and renews an access token by the OAuth 2.0 client-credentials grant."""

    def __init__(self, token_url, client_id, client_secret, scope="sharing.read", session=None):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.session = session or requests.Session()
        self._token = None
        self._expires = 0.0

    def __call__(self):
        # Renewed ten seconds early: a token that expires on the way is refused.
        if self._token is None or time.monotonic() > self._expires - 10:
            response = self.session.post(self.token_url, data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret, "scope": self.scope}, timeout=10)
            response.raise_for_status()
            body = response.json()
            self._token = body["access_token"]
            self._expires = time.monotonic() + float(body.get("expires_in", 60))
        return self._token


class SharingClient:
    """The department's side of the sharing service's operations."""

    def __init__(self, base_url, token=None, token_source=None, end_user=None, session=None, timeout=30):
        if token is None and token_source is None:
            raise ValueError("give a token or a token source")
        self.base_url = base_url.rstrip("/")
        self.token_source = token_source or (lambda: token)
        self.end_user = end_user
        self.session = session or requests.Session()
        self.timeout = timeout

    def verify(self, id_number, name, purpose, case_reference, birth_date=None, sex=None):
        """核验: 'match', 'no-match', 'deceased', 'moved-away' (or 'not-found' where the grant allows)."""
        return self._post("/api/v1/verify", self._request(purpose, case_reference, {
            "idNumber": id_number, "name": name, "birthDate": birth_date, "sex": sex}))

    def lookup(self, purpose, case_reference, id_number=None, name=None, birth_date=None, region=None):
        """One person by identity number, or every person (up to the documented limit) by exact name and birth date."""
        return self._post("/api/v1/lookup", self._request(purpose, case_reference, {
            "idNumber": id_number, "name": name, "birthDate": birth_date, "region": region}))

    def batch_verify(self, items, purpose, case_reference):
        """Up to 1,000 verifications in one call; each item answered on its own (an outcome or a problem)."""
        return self._post("/api/v1/batch/verify", self._request(purpose, case_reference, {"items": list(items)}))

    def batch_lookup(self, items, purpose, case_reference):
        """Up to 1,000 look-ups in one call."""
        return self._post("/api/v1/batch/lookup", self._request(purpose, case_reference, {"items": list(items)}))

    def household(self, id_number, purpose, case_reference):
        """The household of the person with this number: its members and their relationships to the head."""
        return self._post("/api/v1/household", self._request(purpose, case_reference, {"idNumber": id_number}))

    def usage(self):
        """The department's grant use today (China Standard Time): items counted against its daily quota."""
        return self._send("GET", "/api/v1/usage", None)

    def _request(self, purpose, case_reference, question):
        body = {k: v for k, v in question.items() if v is not None}
        body["purpose"] = purpose
        body["caseReference"] = case_reference
        if self.end_user is not None:
            body["endUser"] = self.end_user
        return body

    def _post(self, path, body):
        return self._send("POST", path, body)

    def _send(self, method, path, body):
        response = self.session.request(method, self.base_url + path, json=body, timeout=self.timeout,
                                        headers={"Authorization": "Bearer " + self.token_source()})
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:200]}
            retry = response.headers.get("Retry-After")
            raise SharingError(response.status_code, problem, int(retry) if retry and retry.isdigit() else None)
        return response.json()


def main(argv=None):
    parser = argparse.ArgumentParser(description="PopInfo sharing service, sample client")
    parser.add_argument("--base", required=True, help="the sharing service's address")
    parser.add_argument("--token", required=True, help="an access token with the scope sharing.read")
    parser.add_argument("--end-user", help="the department's clerk, written to the audit trail")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("verify", "lookup", "household"):
        command = commands.add_parser(name)
        command.add_argument("--purpose", required=True)
        command.add_argument("--case-reference", required=True)
        command.add_argument("--id-number")
        if name != "household":
            command.add_argument("--name")
            command.add_argument("--birth-date")
        if name == "verify":
            command.add_argument("--sex")
        if name == "lookup":
            command.add_argument("--region")
    batch = commands.add_parser("batch-verify", help="items as JSON lines on standard input")
    batch.add_argument("--purpose", required=True)
    batch.add_argument("--case-reference", required=True)
    commands.add_parser("usage")
    args = parser.parse_args(argv)

    client = SharingClient(args.base, token=args.token, end_user=args.end_user)
    try:
        if args.command == "verify":
            answer = client.verify(args.id_number, args.name, args.purpose, args.case_reference, args.birth_date, args.sex)
        elif args.command == "lookup":
            answer = client.lookup(args.purpose, args.case_reference, args.id_number, args.name, args.birth_date, args.region)
        elif args.command == "household":
            answer = client.household(args.id_number, args.purpose, args.case_reference)
        elif args.command == "batch-verify":
            items = [json.loads(line) for line in sys.stdin if line.strip()]
            answer = client.batch_verify(items, args.purpose, args.case_reference)
        else:
            answer = client.usage()
    except SharingError as error:
        json.dump({"status": error.status, "problem": error.problem, "retryAfter": error.retry_after}, sys.stdout, ensure_ascii=False)
        print()
        return 2
    json.dump(answer, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
