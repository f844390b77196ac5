"""The data API over HTTP (docs/api.md): `natije run` served in a subprocess (importing app.py twice in
one process would lose Dash's global callbacks), one national server and one akim server per module."""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 90


@dataclass
class Server:
    url: str
    store: Path
    env: dict
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(server: Server, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(server.url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(server: Server, path: str) -> dict:
    status, _, body = get(server, path)
    assert status == 200, body[:500]
    return json.loads(body)


def _start(harness, tmp: Path, demo_store: Path, **extra: str) -> Server:
    data_dir = tmp / "data"
    data_dir.mkdir()
    store = harness.copy_sqlite_store(demo_store, data_dir / "natije.sqlite3")
    port = _free_port()
    env = harness.clean_environ() | {"NATIJE_DATA_DIR": str(data_dir), "NATIJE_DATABASE_URL": harness.sqlite_url(store),
                                     "NATIJE_HOST": "127.0.0.1", "NATIJE_PORT": str(port), **extra}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([*harness.natije_command(), "run"], cwd=harness.ROOT, env=env,
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", store, env, process)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            get(server, "/api/openapi.json")
            return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                pytest.fail("natije run did not serve: " + (tmp / "server.log").read_text(errors="replace")[-3000:])
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(harness, demo_store, tmp_path_factory):
    started = _start(harness, tmp_path_factory.mktemp("api-server"), demo_store)
    yield started
    _stop(started.process)


@pytest.fixture(scope="module")
def akim(harness, demo_store, tmp_path_factory):
    started = _start(harness, tmp_path_factory.mktemp("api-akim"), demo_store,
                     NATIJE_VIEWER_ROLE="akim", NATIJE_VIEWER_REGION="AST")
    yield started
    _stop(started.process)


@pytest.fixture(scope="module")
def records(server, harness):
    return json.loads(harness.run_natije("kpi", "--json", "--lang", "en", env=server.env).stdout)


@pytest.fixture(scope="module")
def code(records) -> str:
    return records["indicators"][0]["code"]


def test_indicators_envelope_pagination_and_records(server, records):
    started = time.perf_counter()
    body = get_json(server, "/api/v1/indicators?lang=en")
    assert set(body) == {"as_of", "items", "total", "limit", "offset"}
    assert body["as_of"] == records["as_of"]
    assert (body["total"], body["limit"], body["offset"]) == (len(records["indicators"]), 100, 0)
    assert body["items"] == records["indicators"][:100]
    every = get_json(server, "/api/v1/indicators?lang=en&limit=10000")
    assert every["items"] == records["indicators"]
    page = get_json(server, "/api/v1/indicators?lang=en&limit=5&offset=3")
    assert page["items"] == records["indicators"][3:8]
    assert time.perf_counter() - started < 30


def test_one_indicator_and_node_and_regions(server, code, records):
    body = get_json(server, f"/api/v1/indicators/{code.lower()}?lang=en")
    assert body["indicator"]["code"] == code
    assert body["records"] == [r for r in records["indicators"] if r["code"] == code]
    node = get_json(server, f"/api/v1/nodes/{records['indicators'][0]['node']}")
    assert node["node"]["code"] == records["indicators"][0]["node"] and node["children"]
    regions = get_json(server, "/api/v1/regions?limit=3")
    assert len(regions["items"]) == 3 and regions["total"] >= 17


def test_observations_csv_loads_back_unchanged(server, code, harness, tmp_path):
    for query in ("", "&region=ALL"):
        status, headers, body = get(server, f"/api/v1/indicators/{code}/observations?format=csv{query}")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["indicator", "period", "value", "region", "unit", "comment"] and len(rows) > 2
        path = tmp_path / f"download{len(query)}.csv"
        path.write_bytes(body)
        report = json.loads(harness.run_natije("load", str(path), "--dry-run", "--json", env=server.env).stdout)
        counts = report["files"][0]["rows"]
        assert counts["read"] == len(rows) - 1 == counts["unchanged"], counts
        assert counts["loaded"] == counts["corrected"] == counts["quarantined"] == 0
    as_json = get_json(server, f"/api/v1/indicators/{code}/observations?limit=10000")
    status, _, body = get(server, f"/api/v1/indicators/{code}/observations", {"Accept": "text/csv"})
    assert status == 200 and len(body.decode().strip().splitlines()) == as_json["total"] + 1


def test_csv_neutralises_formula_text(server):
    import sqlite3

    formula = '=HYPERLINK("http://evil.example","x")'
    with sqlite3.connect(server.store) as conn:  # a hostile name in the served store copy
        conn.execute("UPDATE regions SET centre = ? WHERE code = 'AKM'",
                     (json.dumps({"ru": formula, "kk": "-1+1", "en": "@cmd"}),))
    for lang, text in (("ru", formula), ("kk", "-1+1"), ("en", "@cmd")):
        status, _, body = get(server, f"/api/v1/regions?format=csv&limit=10000&lang={lang}")
        assert status == 200
        rows = {row["code"]: row for row in csv.DictReader(io.StringIO(body.decode()))}
        assert rows["AKM"]["centre"] == "'" + text
        assert float(rows["AKM"]["area_km2"]) > 0  # numbers stay numbers
        for row in rows.values():
            for cell in row.values():
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        items = get_json(server, f"/api/v1/regions?limit=10000&lang={lang}")["items"]
        assert next(r for r in items if r["code"] == "AKM")["centre"] == text  # JSON is not neutralised


def test_etag_304_and_last_modified(server):
    status, headers, _ = get(server, "/api/v1/indicators?limit=5")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    status, again, body = get(server, "/api/v1/indicators?limit=5", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]
    status, other, _ = get(server, "/api/v1/indicators?limit=6", {"If-None-Match": headers["ETag"]})
    assert status == 200 and other["ETag"] != headers["ETag"]


def test_conditional_requests_weak_etags_lists_star_and_if_modified_since(server):
    """RFC 9110 §13.2.2: If-None-Match (weak comparison, lists, ``*``) decides when sent; otherwise
    If-Modified-Since against Last-Modified. A 304 has no body and the ETag, Cache-Control and Vary a
    200 would have (§15.4.5)."""
    path = "/api/v1/regions?limit=2"
    status, headers, _ = get(server, path)
    tag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and tag.startswith('"')
    since = email.utils.parsedate_to_datetime(modified)
    earlier = email.utils.format_datetime(since - dt.timedelta(seconds=1), usegmt=True)
    later = email.utils.format_datetime(since + dt.timedelta(days=1), usegmt=True)
    cases = [
        ({"If-None-Match": f"W/{tag}"}, 304),  # a proxy that compresses weakens the tag
        ({"If-None-Match": f'"other", W/"a,b", {tag}'}, 304),  # a list, with a comma inside a tag
        ({"If-None-Match": f'"other",W/{tag}'}, 304),
        ({"If-None-Match": '"other", W/"another"'}, 200),
        ({"If-None-Match": tag.upper() if tag != tag.upper() else tag.lower()}, 200),  # tags are case-sensitive
        ({"If-None-Match": "*"}, 304),
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": later}, 304),
        ({"If-Modified-Since": earlier}, 200),
        ({"If-Modified-Since": "yesterday"}, 200),  # not an HTTP date: ignored
        ({"If-None-Match": '"other"', "If-Modified-Since": later}, 200),  # If-None-Match decides alone
        ({"If-None-Match": f"W/{tag}", "If-Modified-Since": earlier}, 304),
    ]
    for conditions, expected in cases:
        status, got, body = get(server, path, conditions)
        assert (status, got["ETag"]) == (expected, tag), conditions
        assert (got["Cache-Control"], got["Vary"]) == (headers["Cache-Control"], headers["Vary"])
        assert (body == b"") == (expected == 304), conditions

    status, csv_headers, _ = get(server, path, {"Accept": "text/csv"})
    assert status == 200 and csv_headers["ETag"] != tag  # each representation has its own tag
    assert get(server, path, {"Accept": "text/csv", "If-None-Match": f"W/{tag}"})[0] == 200
    assert get(server, path, {"Accept": "text/csv", "If-None-Match": f"W/{csv_headers['ETag']}"})[0] == 304


@pytest.mark.parametrize("path, status", [
    ("/api/v1/indicators?limit=0", 400), ("/api/v1/indicators?limit=10001", 400), ("/api/v1/indicators?offset=x", 400),
    ("/api/v1/indicators?format=xml", 400), ("/api/v1/indicators?as_of=yesterday", 400),
    ("/api/v1/indicators?as_of=", 400), ("/api/v1/regions?lang=de", 400), ("/api/v1/regions?limit=+5", 400),
    ("/api/v1/indicators/NO_SUCH", 404), ("/api/v1/indicators/NO_SUCH/observations", 404),
    ("/api/v1/nodes/NO-SUCH", 404), ("/api/v1/nowhere", 404),
])
def test_errors_are_json_with_the_right_status(server, path, status):
    got, headers, body = get(server, path)
    assert got == status and headers["Content-Type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == {400: "bad_request", 404: "not_found"}[status] and error["message"]


def test_observations_bad_params(server, code):
    for query in ("from=20x", "to=soon", "region=XXX"):
        status, _, body = get(server, f"/api/v1/indicators/{code}/observations?{query}")
        assert status in (400, 404) and json.loads(body)["error"]["message"]


def _projects(server: Server, roots: set[str]) -> dict[str, dict]:
    """Every project reachable from ``roots`` through the nodes endpoint: code -> child row."""
    projects, seen, queue = {}, set(), sorted(roots)
    while queue:
        code = queue.pop()
        if code in seen:
            continue
        seen.add(code)
        status, _, body = get(server, f"/api/v1/nodes/{code}")
        if status == 404:  # a project of a region outside the viewer's scope
            continue
        assert status == 200, body[:300]
        found = json.loads(body)
        if found["node"]["level"] == "project":
            projects[code] = found["node"]
        for child in found["children"]:
            if child["level"] == "project":
                projects[child["code"]] = child
            else:
                queue.append(child["code"])
    return projects


def test_akim_sees_no_other_region_operational_row(server, akim):
    roots = {r["node"] for r in get_json(server, "/api/v1/indicators?limit=10000")["items"]}
    national = _projects(server, roots)
    scoped = _projects(akim, roots)
    assert scoped and all(child["region"] == "AST" for child in scoped.values())
    assert set(scoped) == {c for c, child in national.items() if child["region"] == "AST"}
    others = [c for c, child in national.items() if child["region"] != "AST"]
    assert others
    for project in others[:5]:
        assert get(server, f"/api/v1/nodes/{project}")[0] == 200
        status, _, body = get(akim, f"/api/v1/nodes/{project}")
        assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    for record in get_json(akim, "/api/v1/indicators?limit=10000")["items"]:
        assert record["region"] is None  # national figures only
        if record["node"] in national:
            assert national[record["node"]]["region"] == "AST"


def test_openapi_document_lists_every_path(server):
    status, headers, body = get(server, "/api/openapi.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    document = json.loads(body)
    assert document["openapi"].startswith("3.0")
    implemented = {"/api/v1/indicators", "/api/v1/indicators/{code}", "/api/v1/indicators/{code}/observations",
                   "/api/v1/nodes/{code}", "/api/v1/regions"}
    assert set(document["paths"]) == implemented
    for path in implemented:
        concrete = path.replace("{code}", urllib.parse.quote("X"))
        status, _, _ = get(server, concrete)
        assert status in (200, 404)  # served by the API, not by the Dash pages


def test_schemathesis_against_the_served_document(server, tmp_path):
    """A seeded, derandomized schemathesis run: every response matches the document, every
    schema-violating request is a 4xx, every valid one is answered."""
    pytest.importorskip("schemathesis")
    st = Path(sys.executable).with_name("st")
    result = subprocess.run([str(st), "run", server.url + "/api/openapi.json", "--checks", "all",
                             "--max-examples", "10", "--generation-deterministic", "--no-color"],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"})  # cwd: its .schemathesis/ cache stays in tmp
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
