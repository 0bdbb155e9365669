"""PRV: runs the scim2-tester compliance suite against a running server's /scim/v2.

usage: python scim_compliance.py BASE_URL TOKEN

Prints one line per check and a summary line; exits 1 if any check failed.
"""

import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for result in check_server(SyncSCIMClient(http)):
        where = result.resource_type or "-"
        reason = " ".join(str(result.reason or "").split())
        if result.status in (Status.ERROR, Status.CRITICAL):
            counts["failed"] += 1
            print(f"FAILED  {result.title} [{where}] {reason[:2000]}")
        elif result.status == Status.SKIPPED:
            counts["skipped"] += 1
            print(f"skipped {result.title} [{where}] {reason[:200]}")
        else:
            counts["passed"] += 1
            print(f"ok      {result.title} [{where}] {reason[:160]}")
    print(
        "scim2-tester: {passed} passed, {failed} failed, {skipped} skipped".format(**counts)
    )
    return 1 if counts["failed"] or counts["skipped"] else 0


if __name__ == "__main__":
    sys.exit(main())
