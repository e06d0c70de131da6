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
from typer.testing import CliRunner

from tests.fake_systems import run_system  # also registers lead@1 and lead@2
from eventsum.cli import app
from evals.compare import MetricComparison, compare_runs
from evals.report import render_report, run_keys, verdict, write_compare_html, write_report
from evals.stats import PairedDiff
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


def test_report_escapes_summary_text(runs: dict[str, Path]) -> None:
    hostile_suite = runs["root"] / "hostile-suite"
    shutil.copytree(runs["suite"] / "case-0", hostile_suite / "case-0")
    run = run_system(hostile_suite, "hostile@1", runs["root"] / "hostile")
    text, _ = render_report([run])
    # The unit is flagged (Kyrgyzstan) so its text is shown; it must arrive as text, not markup.
    assert text.count("<script>") == 1  # the page's own
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    items = Elements(text).having_class("hall-item")
    assert any("<script>alert('x')</script>" in (i.get("data-search") or "") for i in items)
    both, _ = render_report([runs["a"], run])
    assert "different suites" in both and "different suites" not in runs["report"].read_text(encoding="utf-8")


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


def test_compare_page_lists_what_changed(runs: dict[str, Path]) -> None:
    result = compare_runs(runs["a"], runs["b"])
    elements = Elements(runs["compare"].read_text(encoding="utf-8"))
    rows = {r["data-metric"]: r["data-verdict"] for r in elements.having_class("metric-row")}
    assert rows["coverage"] == "better" and rows["hallucination"] == "worse"  # lead@2: more sentences, one invented place
    assert len(elements.having_class("forest-row")) == len(result.metrics)
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
    for section in ("runs", "metrics", "coverage-grid", "conflicts", "hallucinations", "search"):
        assert f'id="{section}"' in dom
    assert {b["data-run"] for b in elements.having_class("metric-bar")} == {"A", "B"}
    assert len(elements.having_class("fact-cell")) == 2 * CASES * _gold_facts()
    # The tabs' JS ran: one run's grid shows, the other is hidden.
    panels = {a["data-run"]: "hidden" in a for a in elements.having_class("grid-run")}
    assert panels == {"A": False, "B": True}
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
