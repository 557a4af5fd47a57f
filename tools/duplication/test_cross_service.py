#!/usr/bin/env python3
"""Tests of cross-service.py: which clones fail the run (run by test.sh before the script is used)."""
import importlib.util
import json
import os
import tempfile
import unittest

spec = importlib.util.spec_from_file_location("cross_service", os.path.join(os.path.dirname(__file__), "cross-service.py"))
cross_service = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cross_service)


def clone(first, second, lines=12):
    return {"lines": lines, "firstFile": {"name": first, "start": 1}, "secondFile": {"name": second, "start": 40}}


def run(clones):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump({"duplicates": clones, "statistics": {"total": {"sources": 2, "percentage": 1.5}}}, f)
    try:
        return cross_service.main(f.name)
    finally:
        os.unlink(f.name)


class CrossServiceTests(unittest.TestCase):
    def test_each_path_belongs_to_its_service_or_the_contracts(self):
        self.assertEqual("services/PopInfo.Registry", cross_service.owner("services/PopInfo.Registry/Apis/PersonsApi.cs"))
        self.assertEqual("services/PopInfo.Sharing", cross_service.owner("/tmp/x/services/PopInfo.Sharing/A.cs"))
        self.assertEqual("contracts/PopInfo.Contracts", cross_service.owner("contracts\\PopInfo.Contracts\\Json.cs"))

    def test_a_clone_between_two_services_fails_the_run(self):
        self.assertEqual(1, run([clone("services/PopInfo.Registry/A.cs", "services/PopInfo.Sharing/B.cs")]))

    def test_a_clone_between_the_contracts_and_a_service_fails_the_run(self):
        self.assertEqual(1, run([clone("contracts/PopInfo.Contracts/A.cs", "services/PopInfo.Exchange/B.cs")]))

    def test_a_clone_inside_one_service_is_listed_but_passes(self):
        self.assertEqual(0, run([clone("services/PopInfo.Registry/A.cs", "services/PopInfo.Registry/Apis/B.cs")]))

    def test_no_clone_passes(self):
        self.assertEqual(0, run([]))


if __name__ == "__main__":
    unittest.main()
