"""The HTML report and compare page: self-contained, escaped, complete, and working in a real headless Chromium.

Two runs of known difference (lead@1, and lead@2 which adds "The talks were held in
Kyrgyzstan.") over copies of the seed case; the pages are checked as HTML, then opened in
Chromium: a screenshot (decoded here, without Pillow) and the DOM after the page's JS ran.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from tests.fake_systems import run_system  # also registers lead@1 and lead@2
from eventsum.cli import app
from evals.compare import MetricComparison, compare_runs
from evals.report import render_compare, render_report, run_keys, verdict, write_compare_html, write_report
from evals.stats import PairedDiff
from evals.stats import format_p
from summarizer.errors import EventsumError
from summarizer.models import EventSummary, SummaryFact
from summarizer.sources import CaseSources
from summarizer.system import SummaryResult, register_system

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "milley-zaluzhnyi-poland"
CASES = 6  # six cases that all move alike give p = 2/64: enough for a verdict
HOSTILE = "<script>alert('x')</script> Milley met Zaluzhnyi for the first time; the talks were held in Kyrgyzstan."


class HostileSystem:
    """A summary whose text is markup, to prove the pages escape what they show."""

    name = "hostile@1"
    version_hash = "0" * 12

    def summarize(self, sources: CaseSources) -> SummaryResult:
        summary = EventSummary(headline='"><img src=x onerror=alert(1)>', facts=[SummaryFact(text=HOSTILE)])
        return SummaryResult(case_id=sources.case_id, system=self.name, system_hash=self.version_hash, summary=summary)


register_system("hostile@1", lambda spec, options: HostileSystem())


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report")
    suite = root / "suite"
    for i in range(CASES):
        shutil.copytree(SEED, suite / f"case-{i}", ignore=shutil.ignore_patterns("labels"))
    a, b = run_system(suite, "lead@1", root / "a"), run_system(suite, "lead@2", root / "b")
    report, compare = root / "out" / "report.html", root / "out" / "compare.html"
    write_report([a, b], report)
    write_compare_html(compare_runs(a, b), compare)
    return {"root": root, "suite": suite, "a": a, "b": b, "report": report, "compare": compare}


def _records(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def _gold_facts() -> int:
    return len(json.loads((SEED / "gold.json").read_text(encoding="utf-8"))["facts"])


class Elements(HTMLParser):
    """Every start tag with its attributes (hidden="" included), in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def having_class(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if cls in (a.get("class") or "").split()]


# --- the HTML itself, no browser --------------------------------------------------------------

EXTERNAL = re.compile(r"""(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//|<link\b|@import|url\(\s*["']?(?:https?:)?//""", re.I)


def test_pages_are_self_contained(runs: dict[str, Path]) -> None:
    for page in (runs["report"], runs["compare"]):
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{page.name} fetches something: {EXTERNAL.search(text)}"
        assert "http://" not in text and "https://" not in text
        assert "<style>" in text and "<script>" in text  # inline, not linked


@pytest.fixture(scope="module")
def hostile(runs: dict[str, Path]) -> Path:
    """A run whose summary, case id and run directory name are all markup."""
    hostile_suite = runs["root"] / "hostile-suite"
    shutil.copytree(runs["suite"] / "case-0", hostile_suite / "case-<i>0")
    return run_system(hostile_suite, "hostile@1", runs["root"] / "run-<b>x")


def test_report_escapes_every_untrusted_text(hostile: Path) -> None:
    text, _ = render_report([hostile])
    # The unit is flagged (Kyrgyzstan) so its text is shown; it must arrive as text, not markup.
    assert text.count("<script>") == 1  # the page's own
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "<b>x" not in text and "<i>0" not in text
    assert "run-&lt;b&gt;x" in text and "case-&lt;i&gt;0" in text
    # In the flagged list and in the case's summary, both.
    assert text.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") >= 2
    items = Elements(text).having_class("hall-item")
    assert any("<script>alert('x')</script>" in (i.get("data-search") or "") for i in items)


def test_runs_of_different_suites_are_refused(runs: dict[str, Path], hostile: Path, tmp_path: Path) -> None:
    with pytest.raises(EventsumError, match="refusing to report runs of different suites"):
        render_report([runs["a"], hostile])
    target = tmp_path / "mixed.html"
    result = CliRunner().invoke(app, ["eval", "report", str(runs["a"]), str(hostile), "--html", str(target)])
    assert result.exit_code == 2 and "different suites" in result.output and not target.exists()
    assert "Traceback" not in result.output


def test_report_holds_every_cell_and_flagged_unit(runs: dict[str, Path]) -> None:
    elements = Elements(runs["report"].read_text(encoding="utf-8"))
    cells = elements.having_class("fact-cell")
    for key, run in (("A", runs["a"]), ("B", runs["b"])):
        mine = [c for c in cells if c["data-run"] == key]
        assert len(mine) == CASES * _gold_facts()
        covered = sum(f["covered"] for r in _records(run) for f in r["card"]["omission"]["facts"])
        assert sum("covered" in (c.get("class") or "").split() for c in mine) == covered
    flagged = [v for run in (runs["a"], runs["b"]) for r in _records(run)
               for v in r["card"]["hallucination"]["verdicts"] if v["label"] != "supported"]
    items = elements.having_class("hall-item")
    assert len(items) == len(flagged)
    assert sum("kyrgyzstan" in (i.get("data-search") or "") for i in items) == CASES
    assert {i["data-run"] for i in items if "kyrgyzstan" in (i.get("data-search") or "")} == {"B"}
    bars = elements.having_class("metric-bar")
    assert {(b["data-run"], b["data-metric"]) for b in bars} == {(k, m) for k in "AB" for m in
                                                                ("coverage", "hallucination", "conflict", "invented", "traps", "errors")}


def _tiles(elements: Elements) -> dict[tuple[str, str], tuple[dict, dict[str, dict]]]:
    """Each coverage tile (case, fact) with its per-run cells, from the flat list of start tags."""
    tiles: dict[tuple[str, str], tuple[dict, dict[str, dict]]] = {}
    current = None
    for tag, attrs in elements.tags:
        classes = (attrs.get("class") or "").split()
        if "fact-tile" in classes:
            current = (attrs["data-case"], attrs["data-fact"])
            tiles[current] = (attrs, {})
        elif "fact-cell" in classes and current:
            tiles[current][1][attrs["data-run"]] = attrs
    return tiles


def test_coverage_grid_compares_runs_and_carries_fact_text_and_units(runs: dict[str, Path]) -> None:
    elements = Elements(runs["report"].read_text(encoding="utf-8"))
    tiles = _tiles(elements)
    gold = {f["id"]: f for f in json.loads((SEED / "gold.json").read_text(encoding="utf-8"))["facts"]}
    assert len(tiles) == CASES * len(gold)  # one view: one tile per fact, every run inside it
    for (case_id, fact), (tile, cells) in tiles.items():
        assert tile["data-text"] == gold[fact]["text"]
        assert set(cells) == {"A", "B"}
    records = {(key, r["case_id"]): r for key in "AB" for r in _records(runs["a" if key == "A" else "b"])}
    for (key, case_id), r in records.items():
        units = {u["index"]: u["text"] for u in r["card"]["units"]}
        for f in r["card"]["omission"]["facts"]:
            cell = tiles[(case_id, f["fact"])][1][key]
            assert ("covered" in cell["class"].split()) == f["covered"]
            assert cell["data-unit"] == (units[f["unit"]] if f["covered"] else "")
            assert key + " · lead@" in cell["data-label"] and "local" in cell["data-label"]
    differs = [k for k, (t, _) in tiles.items() if "differs" in t["class"].split()]
    assert differs and all(len({c["class"] for c in tiles[k][1].values()}) == 2 for k in differs)


def test_case_sections_show_every_summary_with_its_verdicts(runs: dict[str, Path]) -> None:
    text = runs["report"].read_text(encoding="utf-8")
    elements = Elements(text)
    assert len(elements.having_class("run-summary")) == 2 * CASES
    all_records = [r for run in (runs["a"], runs["b"]) for r in _records(run)]
    units = elements.having_class("unit")
    assert len(units) == sum(len(r["card"]["units"]) for r in all_records)
    flagged = [v for r in all_records for v in r["card"]["hallucination"]["verdicts"] if v["label"] != "supported"]
    marked = [u for u in units if {"unsupported", "trap"} & set(u["class"].split())]
    assert len(marked) == len(flagged) == CASES
    for v in flagged:
        assert str(escape(v["reasons"][0])) in text
    for r in all_records:  # the whole summary, every unit's text
        for u in r["card"]["units"]:
            assert str(escape(u["text"])) in text


def test_run_labels_carry_system_model_and_run_name(runs: dict[str, Path]) -> None:
    elements = Elements(runs["report"].read_text(encoding="utf-8"))
    labels = {c["data-run"]: c["data-label"] for c in elements.having_class("fact-cell")}
    assert labels == {"A": "A · lead@1 · local · a", "B": "B · lead@2 · local · b"}


def test_p_values_print_as_in_the_terminal(runs: dict[str, Path]) -> None:
    assert (format_p(0.0004), format_p(0.0312), format_p(1.0)) == ("<0.001", "0.031", "1.000")
    comparison = compare_runs(runs["a"], runs["b"])
    tiny = comparison.model_copy(deep=True)
    for m in tiny.metrics:
        m.stats.p_value = 0.0002
    page = render_compare(tiny)
    assert "p=0.000" not in page and "0.000</td>" not in page
    assert page.count("&lt;0.001") >= 2 * len(tiny.metrics)  # the table, and the wide and stacked forest plots
    cli = CliRunner().invoke(app, ["eval", "compare", str(runs["a"]), str(runs["b"])], env={"COLUMNS": "200"})
    shown = render_compare(comparison)
    for m in comparison.metrics:
        assert format_p(m.stats.p_value) in cli.output
        assert f'data-label="p">{format_p(m.stats.p_value)}</td>' in shown


def test_compare_page_lists_what_changed(runs: dict[str, Path]) -> None:
    result = compare_runs(runs["a"], runs["b"])
    elements = Elements(runs["compare"].read_text(encoding="utf-8"))
    rows = {r["data-metric"]: r["data-verdict"] for r in elements.having_class("metric-row")}
    assert rows["coverage"] == "better" and rows["hallucination"] == "worse"  # lead@2: more sentences, one invented place
    assert len(elements.having_class("forest-row")) == len(elements.having_class("forest-line")) == len(result.metrics)
    assert len(elements.having_class("new")) == len(result.new_hallucinations) == CASES
    assert len(elements.having_class("gained")) == len(result.facts_gained) > 0


def _metric(low: float, high: float, higher_is_better: bool, p: float = 0.01) -> MetricComparison:
    stats = PairedDiff(mean_a=0, mean_b=0, diff=(low + high) / 2, low=low, high=high, p_value=p, n=5, better=0, worse=0, ties=0)
    return MetricComparison(metric="m", higher_is_better=higher_is_better, stats=stats, better_cases=[], worse_cases=[])


def test_verdict_needs_the_interval_on_one_side_and_a_small_p() -> None:
    assert verdict(_metric(0.05, 0.1, True)) == "better"
    assert verdict(_metric(0.05, 0.1, False)) == "worse"  # e.g. more hallucination
    assert verdict(_metric(-0.1, -0.05, False)) == "better"
    assert verdict(_metric(0.0, 0.1, False)) == "none"  # touches zero
    assert verdict(_metric(-0.1, 0.1, True)) == "none"
    assert verdict(_metric(0.1, 0.1, True, p=0.25)) == "none"  # three cases alike: a collapsed interval, no evidence


def test_run_keys_go_past_z() -> None:
    keys = run_keys(28)
    assert keys[:2] == ["A", "B"] and keys[25:] == ["Z", "AA", "AB"] and len(set(keys)) == 28


def test_report_command(runs: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["eval", "report", str(runs["a"]), str(runs["b"]), "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "A lead@1" in result.output and "B lead@2" in result.output
    assert target.stat().st_size > 10_000
    missing = CliRunner().invoke(app, ["eval", "report", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a run directory" in missing.output


# --- in a real browser ------------------------------------------------------------------------

def _chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def _browse(page: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not found: `make browser` installs Debian's chromium")
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp / 'profile'}", *extra, page]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)


def _dom(path: Path, tmp: Path, fragment: str = "") -> str:
    return _browse(path.as_uri() + fragment, tmp, "--dump-dom").stdout


def _screenshot(path: Path, tmp: Path) -> bytes:
    png = tmp / (path.stem + ".png")
    _browse(path.as_uri(), tmp, f"--screenshot={png}", "--window-size=1280,2000")
    return png.read_bytes()


def png_pixels(data: bytes) -> tuple[int, int, dict[bytes, int]]:
    """Width, height and a count of every colour (8-bit RGB/RGBA, not interlaced), decoded with zlib."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        header = struct.unpack(">IIBBBBB", body) if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + n
    assert header is not None
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    stride, raw = width * bpp, zlib.decompress(idat)
    prev, counts = bytearray(stride), {}
    for y in range(height):
        f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:  # Sub
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:  # Up
            row = bytearray((x + p) & 255 for x, p in zip(row, prev))
        elif f in (3, 4):  # Average, Paeth
            for i in range(stride):
                a, b, c = (row[i - bpp], prev[i], prev[i - bpp]) if i >= bpp else (0, prev[i], 0)
                if f == 3:
                    row[i] = (row[i] + (a + b) // 2) & 255
                    continue
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 2):  # every other pixel is plenty to see what is drawn
            px = bytes(row[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
        prev = row
    return width, height, counts


def _near(counts: dict[bytes, int], rgb: tuple[int, int, int], tol: int = 4) -> int:
    return sum(n for px, n in counts.items() if all(abs(p - q) <= tol for p, q in zip(px, rgb, strict=True)))


@pytest.mark.browser
def test_report_renders_in_chromium(runs: dict[str, Path], tmp_path: Path) -> None:
    shot = _screenshot(runs["report"], tmp_path)
    width, height, counts = png_pixels(shot)
    assert (width, height) == (1280, 2000) and len(shot) > 50_000
    assert len(counts) > 50, "the page looks blank"
    # The covered-fact green of the grid and the bars, hsl(130, 62%, 42%) = rgb(41, 173, 63), is drawn.
    assert _near(counts, (41, 173, 63)) > 2000
    dom = htmllib.unescape(_dom(runs["report"], tmp_path))
    elements = Elements(dom)
    for section in ("runs", "metrics", "coverage-grid", "cases", "conflicts", "hallucinations", "search"):
        assert f'id="{section}"' in dom
    assert {b["data-run"] for b in elements.having_class("metric-bar")} == {"A", "B"}
    assert len(elements.having_class("fact-cell")) == 2 * CASES * _gold_facts()
    assert len(elements.having_class("fact-tile")) == CASES * _gold_facts()
    assert len(elements.having_class("conflict-row")) == CASES * len(json.loads((SEED / "gold.json").read_text())["conflicts"])
    reason = next(v["reasons"][0] for v in _records(runs["b"])[0]["card"]["hallucination"]["verdicts"]
                  if "Kyrgyzstan" in v["text"])
    assert "The talks were held in Kyrgyzstan." in dom and reason in dom


@pytest.mark.browser
@pytest.mark.parametrize("fragment", ["#q=case-1", "?q=case-1", "#q=Kyrgyzstan%20CASE-2"])
def test_search_filters_in_chromium(runs: dict[str, Path], tmp_path: Path, fragment: str) -> None:
    words = re.sub(r".*q=", "", fragment).replace("%20", " ").lower().split()
    items = Elements(_dom(runs["report"], tmp_path, fragment)).having_class("hall-item")
    shown = [i for i in items if "hidden" not in i]
    hidden = [i for i in items if "hidden" in i]
    assert shown and hidden, "the query should split the list"
    assert all(all(w in (i.get("data-search") or "") for w in words) for i in shown)
    assert all(not all(w in (i.get("data-search") or "") for w in words) for i in hidden)


@pytest.mark.browser
def test_compare_page_renders_in_chromium(runs: dict[str, Path], tmp_path: Path) -> None:
    shot = _screenshot(runs["compare"], tmp_path)
    width, height, counts = png_pixels(shot)
    assert (width, height) == (1280, 2000) and len(counts) > 50
    dom = htmllib.unescape(_dom(runs["compare"], tmp_path))
    elements = Elements(dom)
    assert len(elements.having_class("forest-row")) == 6 and elements.having_class("zero")
    assert {r["data-metric"] for r in elements.having_class("metric-row")} == {
        "coverage", "hallucination", "conflict", "invented", "traps", "errors"}
    assert "The talks were held in Kyrgyzstan." in dom and 'id="new-hallucinations"' in dom


ARTIFACTS = REPO / "build" / "test-artifacts"
# The page in an iframe of the given width: headless Chromium will not make a window narrower than
# 500 px, but an iframe is a real viewport (media queries included). The probe writes what it saw
# into the DOM for --dump-dom: the page's scroll width and every element that sticks out.
FIT_HARNESS = """<!doctype html><html><body style="margin:0">
<iframe id="page" src="{src}" style="width:{width}px;height:1400px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {{
  var doc = this.contentDocument, root = doc.documentElement, width = root.clientWidth, wide = [];
  doc.querySelectorAll("body *").forEach(function (el) {{
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {{ wide.push(el.tagName.toLowerCase() + "." + el.className + " right=" + Math.round(r.right)); }}
  }});
  var out = document.createElement("pre");
  out.id = "probe";
  out.setAttribute("data-scroll-width", String(root.scrollWidth));
  out.setAttribute("data-client-width", String(width));
  out.setAttribute("data-viewport", String(this.contentWindow.innerWidth));
  out.textContent = wide.slice(0, 20).join("\\n");
  document.body.appendChild(out);
}});
</script></body></html>"""


def _fit(page: Path, tmp: Path, width: int) -> dict[str, str]:
    harness = tmp / f"fit-{page.stem}-{width}.html"
    harness.write_text(FIT_HARNESS.format(src=page.as_uri(), width=width), encoding="utf-8")
    dom = _browse(harness.as_uri(), tmp, "--allow-file-access-from-files", "--dump-dom", f"--window-size={width + 100},1400").stdout
    match = re.search(r'<pre id="probe" data-scroll-width="(\d+)" data-client-width="(\d+)" data-viewport="(\d+)">(.*?)</pre>', dom, re.S)
    assert match, "the probe did not run: " + dom[-500:]
    return {"scroll": match[1], "client": match[2], "viewport": match[3], "wide": htmllib.unescape(match[4])}


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 400])
@pytest.mark.parametrize("page", ["report", "compare"])
def test_pages_fit_the_width_without_sideways_scrolling(runs: dict[str, Path], tmp_path: Path, page: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{page}-{width}.png"
    _browse(runs[page].as_uri(), tmp_path, f"--screenshot={shot}", f"--window-size={width},2400")
    print(f"screenshot: {shot}")
    got_width, _, counts = png_pixels(shot.read_bytes())
    assert got_width == width and len(counts) > 50, "the screenshot looks blank"
    fit = _fit(runs[page], tmp_path, width)
    assert int(fit["viewport"]) == width
    assert int(fit["scroll"]) <= int(fit["client"]), f"{page} scrolls sideways at {width} px: {fit['wide']}"


@pytest.mark.browser
def test_a_click_on_a_fact_shows_its_text_and_each_runs_unit(runs: dict[str, Path], tmp_path: Path) -> None:
    record = next(r for r in _records(runs["b"]) if r["case_id"] == "case-0")
    fact = next(f for f in record["card"]["omission"]["facts"] if f["covered"] and f["fact"] != "F1")
    lost = {f["fact"] for r in _records(runs["a"]) if r["case_id"] == "case-0" for f in r["card"]["omission"]["facts"]
            if not f["covered"]}
    unit = next(u["text"] for u in record["card"]["units"] if u["index"] == fact["unit"])
    gold = next(f["text"] for f in json.loads((SEED / "gold.json").read_text(encoding="utf-8"))["facts"] if f["id"] == fact["fact"])
    dom = htmllib.unescape(_dom(runs["report"], tmp_path, f"#fact=case-0/{fact['fact']}"))
    detail = dom[dom.index('id="fact-detail"'):]
    detail = detail[:detail.index('<div class="grid-case')]
    assert gold in detail and unit in detail
    assert "A · lead@1 · local · a:" in detail and "B · lead@2 · local · b:" in detail
    assert ("missed" in detail) == (fact["fact"] in lost)


@pytest.mark.browser
def test_the_width_probe_sees_a_page_that_scrolls_sideways(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text('<!doctype html><meta name="viewport" content="width=device-width"><div class="too-wide" '
                    'style="width: 600px">x</div>', encoding="utf-8")
    fit = _fit(page, tmp_path, 400)
    assert int(fit["scroll"]) > int(fit["client"]) and "too-wide" in fit["wide"]
