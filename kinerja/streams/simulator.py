"""A service application in a box: sends realistic events of one stream through the HTTP API
(never the database), so that a demo shows the live dashboard move (``kinerja simulate``).

How the events come about. The simulator keeps a clock of pending events. Every second it
sends one batch: the events due by then, topped up with new cases until the batch holds the
requested rate's share of that second. A new case *started a little while ago* — a random
moment within the last stretch of the day, never before local midnight, so that it counts as
started today — and moves through the stream's stages from its start stage onwards with
realistic delays: the time to the end stage is the SLA limit times a log-normal factor
(median 0.6, so about one case in six breaches the SLA), split at random over the stages in
between; stages after the end stage follow later. Events whose moment has passed are due at
once; later ones wait for their moment (cases still open when the run ends stay open, as in
life). Some cases (5 %) are abandoned part-way and never complete. Every event time is in the
past when it is sent.

A batch refused with 429 or 503 is sent again, the same batch, after its ``Retry-After``;
a connection failure is retried the same way a few times (a retry after a lost answer counts
the events as duplicates, harmlessly — the ids are the idempotency keys). Any other refusal
(401, 403, 404, 413, 422) stops the run with the server's explanation.

Times: SLA units are taken at face value (a working hour as an hour) — realistic enough for a
demo; the figures on the dashboard measure the working time exactly.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import httpx

MAX_BATCH = 5000  # the contract's limit per request
MAX_ATTEMPTS = 8
MAX_WAIT_SECONDS = 30.0
ABANDONED_SHARE = 0.05
SLA_UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400, "working_hours": 3600}


class SimulatorError(Exception):
    """The run cannot go on; the message says why (and what the server answered)."""


@dataclass(frozen=True)
class StreamInfo:
    code: str
    stages: list[str]
    start: str
    end: str
    sla_seconds: float

    @classmethod
    def from_api(cls, row: dict) -> StreamInfo:
        sla = row.get("sla") or {}
        seconds = float(sla.get("limit") or 0) * SLA_UNIT_SECONDS.get(sla.get("unit"), 3600)
        return cls(
            code=row["code"],
            stages=list(row["stages"]),
            start=row["start"],
            end=row["end"],
            sla_seconds=seconds if seconds > 0 else 3600.0,
        )


@dataclass
class Totals:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    retries: int = 0
    batches: int = 0
    cases: int = 0

    def line(self) -> str:
        return (
            f"sent={self.sent} accepted={self.accepted} duplicates={self.duplicates} "
            f"cases={self.cases} batches={self.batches} retries={self.retries}"
        )


@dataclass
class Simulation:
    """One run. ``now``, ``clock`` and ``sleep`` are injectable so that tests run in no time."""

    client: httpx.Client
    stream_code: str
    rate: float
    duration: float
    units: list[str] = field(default_factory=list)
    officers: list[str] = field(default_factory=list)
    seed: int | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    out: Callable[[str], None] = print
    report_every: float = 3.0
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    should_stop: Callable[[], bool] = lambda: False

    def __post_init__(self):
        if not self.rate > 0:
            raise SimulatorError("The rate must be more than 0 events per second.")
        if not self.duration > 0:
            raise SimulatorError("The duration must be more than 0 seconds.")
        self.random = random.Random(self.seed)  # noqa: S311 - a simulation, not a secret
        self.totals = Totals()
        self._pending: list[tuple[datetime, int, dict]] = []
        self._sequence = 0
        # Ids unique to this run (its start to the millisecond), so that runs never collide.
        self._tag = f"SIM-{self.now().astimezone(self.zone):%Y%m%d-%H%M%S%f}"[:-3]

    # --- the stream ----------------------------------------------------------------------

    def fetch_stream(self) -> StreamInfo:
        response = self._request("GET", "/api/v1/streams")
        rows = response.json()
        for row in rows if isinstance(rows, list) else []:
            if row.get("code") == self.stream_code:
                return StreamInfo.from_api(row)
        raise SimulatorError(
            f"The token may not use stream {self.stream_code!r} (it must be a service token of "
            "that stream), or there is no such stream."
        )

    # --- cases ---------------------------------------------------------------------------

    def _path(self, stream: StreamInfo) -> tuple[list[str], int]:
        """The stages a case passes through, and the position of the end stage in it."""
        stages = stream.stages
        first = stages.index(stream.start)
        last = stages.index(stream.end)
        if last <= first:
            return [stream.start, stream.end], 1
        return stages[first:], last - first

    def new_case(self, stream: StreamInfo, now: datetime) -> None:
        """Plan a case that started a little while ago; its events join the pending ones."""
        self._sequence += 1
        self.totals.cases += 1
        key = f"{self._tag}-{self._sequence:06d}"
        path, end_at = self._path(stream)
        sla = stream.sla_seconds
        to_end = sla * self.random.lognormvariate(math.log(0.6), 0.55)
        weights = [self.random.expovariate(1.0) for _ in range(end_at)]
        total = sum(weights) or 1.0
        delays = [to_end * w / total for w in weights]
        delays += [sla * self.random.uniform(0.1, 0.5) for _ in path[end_at + 1 :]]
        local = now.astimezone(self.zone)
        since_midnight = (
            local - local.replace(hour=0, minute=0, second=0, microsecond=0)
        ).total_seconds()
        horizon = max(0.0, min(1.5 * sla, since_midnight - 1))
        at = now - timedelta(seconds=self.random.uniform(0, horizon))
        if self.random.random() < ABANDONED_SHARE:
            path = path[: self.random.randint(1, max(1, end_at))]
        unit = self.random.choice(self.units) if self.units else None
        officer = self.random.choice(self.officers) if self.officers else None
        for index, stage in enumerate(path):
            if index:
                at += timedelta(seconds=delays[index - 1])
            event = {
                "id": f"{key}-{stage}",
                "case": key,
                "stage": stage,
                "at": at.astimezone(self.zone).isoformat(timespec="milliseconds"),
                "attributes": {"source": "kinerja simulate"},
            }
            if unit:
                event["unit"] = unit
            if officer and index:  # the start is registered; an officer takes it from there
                event["officer"] = officer
            heapq.heappush(self._pending, (at, self._sequence * 100 + index, event))

    def _due(self, now: datetime, budget: int) -> list[dict]:
        batch = []
        while self._pending and len(batch) < budget and self._pending[0][0] <= now:
            batch.append(heapq.heappop(self._pending)[2])
        return batch

    def batch_for(self, stream: StreamInfo, now: datetime, budget: int) -> list[dict]:
        """The events due by ``now``, topped up with new cases up to ``budget`` events."""
        batch = self._due(now, budget)
        while len(batch) < budget:
            self.new_case(stream, now)
            batch += self._due(now, budget - len(batch))
        return batch

    # --- sending -------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """One request, again after 429/503 (honouring Retry-After) or a lost connection."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise SimulatorError(f"The server cannot be reached: {exc}") from exc
                self.totals.retries += 1
                self.sleep(min(MAX_WAIT_SECONDS, 0.5 * 2**attempt))
                continue
            if response.status_code in (429, 503):
                if attempt == MAX_ATTEMPTS:
                    raise SimulatorError(
                        f"The server still answers {response.status_code} after "
                        f"{MAX_ATTEMPTS} attempts."
                    )
                self.totals.retries += 1
                self.sleep(retry_after(response, self.now()))
                continue
            if response.status_code != 200:
                raise SimulatorError(describe(response))
            return response
        raise SimulatorError("unreachable")  # pragma: no cover

    def send(self, events: list[dict]) -> None:
        for start in range(0, len(events), MAX_BATCH):
            chunk = events[start : start + MAX_BATCH]
            response = self._request(
                "POST", f"/api/v1/streams/{self.stream_code}/events", json={"events": chunk}
            )
            answer = response.json()
            self.totals.batches += 1
            self.totals.sent += len(chunk)
            self.totals.accepted += int(answer.get("accepted", 0))
            self.totals.duplicates += int(answer.get("duplicates", 0))

    # --- the run -------------------------------------------------------------------------

    def run(self) -> Totals:
        stream = self.fetch_stream()
        self.out(
            f"Simulating {stream.code}: {self.rate:g} events/s for {self.duration:g} s "
            f"(stages {' → '.join(stream.stages)}, SLA {stream.sla_seconds:g} s)."
        )
        began = self.clock()
        owed = 0.0
        last_tick = None
        next_report = began + self.report_every
        while not self.should_stop():
            tick = self.clock()
            if tick - began >= self.duration:
                break
            # The first batch is the first second's share; then what the time since asks.
            owed += self.rate * (1.0 if last_tick is None else tick - last_tick)
            last_tick = tick
            budget = int(owed)
            if budget:
                owed -= budget
                self.send(self.batch_for(stream, self.now(), budget))
            if self.clock() >= next_report:
                self.out(f"{self.clock() - began:5.0f}s  {self.totals.line()}")
                next_report += self.report_every
            # One batch a second: wait for the next second (or the end of the run).
            remaining = self.duration - (self.clock() - began)
            self.sleep(max(0.0, min(1.0 - (self.clock() - tick), remaining)))
        self.out(f"Done in {self.clock() - began:.1f} s: {self.totals.line()}")
        return self.totals


def retry_after(response: httpx.Response, now: datetime) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), 1 without."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - now).total_seconds()
        except (TypeError, ValueError):
            return 1.0
    return min(MAX_WAIT_SECONDS, max(0.0, seconds))


def describe(response: httpx.Response) -> str:
    """The server's refusal in one line: its status and its error(s)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = ""
    if isinstance(body, dict) and body.get("error"):
        detail = str(body["error"])
    elif isinstance(body, dict) and isinstance(body.get("errors"), list):
        detail = "; ".join(
            f"event {e.get('index')} {e.get('field')}: {e.get('message')}"
            for e in body["errors"][:5]
            if isinstance(e, dict)
        )
    elif isinstance(body, dict) and body.get("detail"):
        detail = str(body["detail"])
    return f"The server answered {response.status_code}" + (f": {detail}" if detail else ".")


def simulate(
    *,
    url: str,
    token: str,
    stream_code: str,
    rate: float,
    duration: float,
    units: list[str] | None = None,
    officers: list[str] | None = None,
    seed: int | None = None,
    zone: ZoneInfo | None = None,
    out: Callable[[str], None] = print,
    transport: httpx.BaseTransport | None = None,
    **options,
) -> Totals:
    """Send a stream's events to the Kinerja at ``url`` with a service token of the stream.
    ``options`` go to ``Simulation`` (``report_every``, ``now``, ``clock``, ``sleep``,
    ``should_stop``); ``transport`` lets tests talk to the application in-process."""
    with httpx.Client(
        base_url=url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=httpx.Timeout(30.0, connect=10.0),
        transport=transport,
    ) as client:
        simulation = Simulation(
            client=client,
            stream_code=stream_code,
            rate=rate,
            duration=duration,
            units=list(units or []),
            officers=list(officers or []),
            seed=seed,
            zone=zone or ZoneInfo("Asia/Jakarta"),
            out=out,
            **options,
        )
        return simulation.run()
