"""GET /api/v1/audit (``audit_list``): the audit trail, for regional administrators and
auditors only."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core import audit
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel

URL = "/api/v1/audit"
ROW_FIELDS = {
    "seq",
    "at",
    "actor",
    "channel",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "agency",
    "before",
    "after",
    "note",
    "hash",
    "prev_hash",
}
_names = count(1)


@pytest.fixture
def api_get(client):
    """``api_get(user, **query)``: GET the audit trail with a fresh personal token of ``user``."""

    def get(user, **query):
        _, secret = token_create(name=f"audit-{next(_names)}", user=user, by=SYSTEM)
        return client.get(URL, query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


@pytest.fixture
def changes(cast):
    """Three changes through three doors (plus whatever creating tokens records later)."""
    employee = cast.employees["employee"]
    with audit.door(Channel.WEB, cast.admin):
        audit.record("update", employee, before={"rank": "III/a"}, after={"rank": "III/b"})
    with audit.door(Channel.COMMAND, label="console:root"):
        audit.record("update", cast.employees["outsider"], after={"name": "Andi"})
    with audit.door(Channel.IMPORT, cast.pengelola):
        audit.record("create", cast.units["pkm"], after={"code": "DINKES-PKM-PLAJU"})
    return list(AuditRecord.objects.order_by("seq"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("employee", 403),
        ("rater", 403),
        ("rater_superior", 403),
        ("head", 403),
        ("pengelola", 403),
        ("outsider", 403),
        ("admin", 200),
        ("auditor", 200),
    ],
)
def test_only_administrators_and_auditors_read_the_audit_trail(
    cast, changes, api_get, persona, status
):
    response = api_get(cast.users[persona])

    assert response.status_code == status
    if status == 403:
        assert set(response.json()) == {"error"}
    else:
        assert len(response.json()) >= len(changes)


def test_without_a_token_the_audit_trail_is_refused(cast, client):
    assert client.get(URL).status_code == 401


def test_rows_are_newest_first_with_every_field(cast, changes, api_get):
    rows = api_get(cast.auditor).json()

    seqs = [row["seq"] for row in rows]
    assert seqs == sorted(seqs, reverse=True)
    assert all(set(row) == ROW_FIELDS for row in rows)
    first = next(row for row in rows if row["seq"] == changes[0].seq)
    assert first["actor"] == "admin"
    assert first["channel"] == "web"
    assert first["action"] == "update"
    assert first["object_type"] == "organizations.employee"
    assert first["object_id"] == cast.employees["employee"].nip
    assert first["agency"] == "DINKES"
    assert first["before"] == {"rank": "III/a"}
    assert first["after"] == {"rank": "III/b"}
    assert first["hash"] == changes[0].hash
    assert first["prev_hash"] == changes[0].prev_hash


def test_times_are_iso_8601_with_the_regions_offset(cast, changes, api_get):
    row = api_get(cast.admin).json()[-1]

    at = datetime.fromisoformat(row["at"])
    assert at.utcoffset() == timedelta(hours=7)
    assert abs(at - changes[0].at) < timedelta(milliseconds=1)


def test_a_record_without_an_agency_says_null(cast, changes, api_get):
    rows = api_get(cast.admin, object_type="accounts.apitoken").json()

    assert rows
    assert all(row["agency"] is None for row in rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"object_type": "organizations.employee"}, [1, 0]),
        ({"object_type": "organizations.unit"}, [2]),
        ({"channel": "command"}, [1]),
        ({"channel": "import"}, [2]),
        ({"actor": "ADMIN", "object_type": "organizations.employee"}, [0]),
        ({"actor": "console:root"}, [1]),
        ({"agency": "DUKCAPIL"}, [1]),
        ({"agency": "DINKES"}, [2, 0]),
        ({"agency": "NO-SUCH-AGENCY"}, []),
    ],
)
def test_filters_select_the_matching_records(cast, changes, api_get, query, expected):
    rows = api_get(cast.admin, **query).json()

    assert [row["seq"] for row in rows] == [changes[i].seq for i in expected]


def test_object_id_selects_the_history_of_one_object(cast, changes, api_get):
    rows = api_get(cast.admin, object_id=cast.employees["outsider"].nip).json()

    assert [row["seq"] for row in rows] == [changes[1].seq]


def _record_at(seq: int, at: datetime) -> AuditRecord:
    # Written directly (not through audit.record) to place it at an exact moment; the chain
    # does not matter to the endpoint.
    return AuditRecord.objects.create(
        seq=seq,
        at=at,
        actor_label="system",
        channel=Channel.SYSTEM,
        action="test",
        object_type="test.moment",
        prev_hash="0" * 64,
        hash="1" * 64,
    )


def test_since_and_until_are_whole_days_in_the_regions_time_zone(cast, api_get):
    # 23:30 WIB on 5 January is 16:30 UTC on the same day; 00:30 WIB on 6 January is 17:30
    # UTC on the 5th: only the time zone tells them apart.
    late = _record_at(900001, datetime(2026, 1, 5, 16, 30, tzinfo=UTC))
    early = _record_at(900002, datetime(2026, 1, 5, 17, 30, tzinfo=UTC))

    def seqs(**query):
        response = api_get(cast.admin, object_type="test.moment", **query)
        return {row["seq"] for row in response.json()}

    assert seqs(since="2026-01-05", until="2026-01-05") == {late.seq}
    assert seqs(since="2026-01-06") == {early.seq}
    assert seqs(until="2026-01-06") == {late.seq, early.seq}
    assert seqs(until="2026-01-04") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2026-13-01"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"until": "05/01/2026"}, "until"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until"),
        ({"channel": "telepathy"}, "channel"),
        ({"actor": "\x00"}, "actor"),
        ({"limit": 5000}, "limit"),
    ],
)
def test_bad_filters_are_a_422_naming_the_field(cast, api_get, query, field):
    response = api_get(cast.admin, **query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_audit_trail_is_paged(cast, changes, api_get):
    response = api_get(cast.admin, limit=2)

    total = AuditRecord.objects.count()
    assert len(response.json()) == 2
    assert response["X-Total-Count"] == str(total)
    assert 'rel="next"' in response["Link"]
