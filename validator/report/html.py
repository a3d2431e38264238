"""One self-contained HTML page for people: summary, history, findings, link health.

The page carries its own CSS and an inline SVG chart: no script, no external asset,
no CDN, so it works opened from disk, as a workflow artifact or on a Pages site.
Sections, in order: summary counts; failing links per night from the cache's run log
(:mod:`validator.links.runlog`); findings grouped by entry, each linking to its file
line (absolute under ``blob_base_url``, built from ``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY`` and ``GITHUB_SHA`` by :func:`validator.escape.blob_base_url`,
else relative to the repository root); failing links with their age; link health by
host (URLs, requests, failures, median latency of the URLs fetched this run). Text
from catalog files, servers or the environment is escaped by :mod:`validator.escape`;
only http(s) URLs become links.
"""

from __future__ import annotations

import statistics
import typing as t
import urllib.parse

from validator.escape import file_link, html_href, html_text
from validator.findings import Finding, LinkResult, Report, RunSummary, Severity
from validator.report.base import Reporter
from validator.report.markdown import history_age

NIGHTS = 30
"""Nights shown in the history chart."""
HOSTS_SHOWN = 10
"""Hosts listed before the rest fold into ``<details>`` (failing hosts come first)."""

_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --bg: #ffffff;
  --card: #f6f8fa; --line: #d1d9e0; --error: #cf222e; --warning: #9a6700;
  --info: #0969da; --ok: #1a7f37; --bar: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1;
  --bg: #0d1117; --card: #151b23; --line: #3d444d; --error: #ff7b72;
  --warning: #d29922; --info: #4493f8; --ok: #3fb950; --bar: #f85149; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--fg);
  background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
a { color: var(--info); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
.muted { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; margin: 1rem 0;
  list-style: none; }
.stat { min-width: 7.5rem; padding: .6rem .9rem; border: 1px solid var(--line);
  border-radius: 8px; background: var(--card); }
.stat .n { display: block; font-size: 1.6rem; font-weight: 600; line-height: 1.2; }
.stat.bad .n { color: var(--error); }
.stat.warn .n { color: var(--warning); }
.banner { padding: .75rem 1rem; border: 1px solid var(--error); border-radius: 8px; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line);
  text-align: left; vertical-align: top; }
th { background: var(--card); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.url { word-break: break-all; }
td.nowrap, th.nowrap { white-space: nowrap; }
table.findings { table-layout: fixed; }
table.findings th:nth-child(1) { width: 6.5rem; }
table.findings th:nth-child(2) { width: 14rem; }
table.findings th:nth-child(3) { width: 5.5rem; }
table.findings td { overflow-wrap: anywhere; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; color: var(--info); }
.sev { display: inline-block; min-width: 4.5rem; padding: 0 .4rem; border-radius: 1rem;
  color: #fff; font-size: .8rem; font-weight: 600; text-align: center; }
.sev-error { background: var(--error); }
.sev-warning { background: var(--warning); }
.sev-info { background: var(--info); }
.hint { color: var(--muted); font-size: .9em; }
svg.chart { width: 100%; height: auto; max-width: 48rem; }
svg.chart text { fill: var(--muted); font: 11px system-ui, sans-serif; }
svg.chart .grid { stroke: var(--line); }
svg.chart .bar { fill: var(--bar); }
svg.chart .zero { fill: var(--ok); }
svg.chart .value { fill: var(--fg); font-weight: 600; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
"""


def _host(url: str) -> str:
    try:
        return urllib.parse.urlsplit(url).hostname or "(no host)"
    except ValueError:
        return "(invalid URL)"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _when(at: str) -> str:
    """``2026-11-28T03:17:00Z`` as ``2026-11-28 03:17 UTC``."""
    return f"{at[:10]} {at[11:16]} UTC" if len(at) >= 16 else at


def nightly(runs: t.Sequence[RunSummary], nights: int = NIGHTS) -> list[RunSummary]:
    """The last run of each UTC day, oldest first, at most ``nights`` of them."""
    by_day: dict[str, RunSummary] = {}
    for run in sorted(runs, key=lambda r: r.at):
        by_day[run.at[:10]] = run
    return list(by_day.values())[-nights:]


def host_health(links: t.Sequence[LinkResult]) -> list[tuple[str, int, int, int, int | None]]:
    """Per host: URLs, requests sent, failing URLs, median latency (ms) of fetched URLs."""
    groups: dict[str, list[LinkResult]] = {}
    for link in links:
        groups.setdefault(_host(link.url), []).append(link)
    rows = []
    for host, items in groups.items():
        fetched = [r.elapsed_ms for r in items if r.attempts > 0]
        median = int(statistics.median(fetched)) if fetched else None
        failures = sum(1 for r in items if r.verdict.is_failure)
        rows.append((host, len(items), sum(r.attempts for r in items), failures, median))
    # Hosts with failures first, then the busiest.
    return sorted(rows, key=lambda row: (-row[3], -row[2], row[0]))


def _tick(peak: int) -> int:
    """A 1-2-5 step that divides ``0..peak`` into at most five intervals."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= 5 * step * factor:
                return step * factor
        step *= 10


def chart(runs: t.Sequence[RunSummary]) -> str:
    """An inline SVG bar chart of failing links per night (``runs`` as from :func:`nightly`)."""
    width, height, left, top, bottom = 720, 220, 40, 20, 36
    plot_w, plot_h = width - left - 10, height - top - bottom
    step_y = _tick(max([r.failing for r in runs] + [1]))
    peak = step_y * -(-max([r.failing for r in runs] + [1]) // step_y)
    step = plot_w / max(len(runs), 1)
    bar_w = max(min(step * 0.7, 48), 2)
    every = max(1, len(runs) // 10)  # at most about ten date labels
    label = "Failing links per night: " + ", ".join(f"{r.at[:10]} {r.failing}" for r in runs)
    parts = [
        f'<svg class="chart" id="history-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{html_text(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for value in range(0, peak + 1, step_y):
        y = top + plot_h * (1 - value / peak)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for i, run in enumerate(runs):
        x = left + step * i + (step - bar_w) / 2
        h = plot_h * run.failing / peak
        y = top + plot_h - h
        cls = "bar" if run.failing else "zero"
        shown = max(h, 2.0)  # a clean night still shows as a thin green line
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{top + plot_h - shown:.1f}" '
            f'width="{bar_w:.1f}" height="{shown:.1f}"><title>{html_text(run.at[:10])}: '
            f"{_plural(run.failing, 'failing link')} of {run.checked}</title></rect>"
            f'<text class="value" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle">{run.failing}</text>'
        )
        if i % every == 0 or i == len(runs) - 1:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{html_text(run.at[5:10])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


class HtmlReporter(Reporter):
    """The whole report as one HTML page with inline CSS and SVG (see module docstring)."""

    name = "html"

    def __init__(
        self, *, color: bool = False, blob_base_url: str | None = None, **options: t.Any
    ) -> None:
        super().__init__(color=color, **options)
        self.blob_base_url = blob_base_url

    def format(self, report: Report) -> str:
        """The page, ending with a newline."""
        body = [
            "<header><h1>Catalog validation report</h1>",
            f'<p class="muted">{self._subtitle(report)}</p></header>',
            *self._summary(report),
            *self._history(report.runs, crawled=report.links is not None),
            *self._findings(report.sorted_findings()),
            *self._failing(report),
            *self._hosts(report.links),
            "<footer>Written by <code>validator --output html</code>. "
            "Findings are the only list of problems; link tables are the inventory "
            "of this run.</footer>",
        ]
        head = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            "<title>Catalog validation report</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n"
        )
        return head + "\n".join(body) + "\n</body>\n</html>\n"

    def _subtitle(self, report: Report) -> str:
        when = f"Run of {html_text(_when(report.runs[-1].at))}. " if report.runs else ""
        where = (
            f'Files link to <a href="{html_text(self.blob_base_url)}">the commit checked</a>.'
            if self.blob_base_url
            else "File links are relative to the repository root."
        )
        return when + where

    def _summary(self, report: Report) -> list[str]:
        stats = [
            ("errors", report.count(Severity.ERROR), "bad"),
            ("warnings", report.count(Severity.WARNING), "warn"),
            ("infos", report.count(Severity.INFO), ""),
            ("waived", report.waived, ""),
            ("files", report.files_checked, ""),
            ("entries", report.entries_checked, ""),
        ]
        # an outage judged no link: its banner says so, no count says "checked"
        if report.links is not None and not report.network_unavailable:
            failing = len(report.failing_links())
            stats += [("links checked", len(report.links), ""), ("links failing", failing, "bad")]
        out = ['<section id="summary"><h2>Summary</h2><ul class="stats">']
        for label, n, tone in stats:
            cls = f"stat {tone}" if tone and n else "stat"
            key = label.replace(" ", "-")
            out.append(
                f'<li class="{cls}" id="stat-{key}" data-count="{n}">'
                f'<span class="n">{n}</span>{html_text(label)}</li>'
            )
        out.append("</ul>")
        if report.network_unavailable:
            out.append(
                f'<p class="banner" role="alert">{html_text(report.network_unavailable)}</p>'
            )
        out.append("</section>")
        return out

    def _findings(self, findings: list[Finding]) -> list[str]:
        out = ['<section id="findings"><h2>Findings by entry</h2>']
        if not findings:
            out.append('<p class="muted">No findings.</p>')
        groups: dict[tuple[str, str | None], list[Finding]] = {}
        for f in findings:
            groups.setdefault((f.file, f.entry), []).append(f)
        for (file, entry), items in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or "")):
            href = html_text(file_link(file, 0, self.blob_base_url))
            link = f'<a href="{href}">{html_text(file)}</a>'
            title = f"<code>{html_text(entry)}</code> · {link}" if entry else link
            out.append(f'<div class="entry"><h3>{title}</h3><table class="findings"><thead><tr>')
            out.append("<th>severity</th><th>rule</th><th>where</th><th>message</th>")
            out.append("</tr></thead><tbody>")
            out.extend(self._finding(f) for f in items)
            out.append("</tbody></table></div>")
        out.append("</section>")
        return out

    def _finding(self, f: Finding) -> str:
        place = f"line {f.line}" if f.line > 0 else "file"
        href = html_text(file_link(f.file, f.line, self.blob_base_url))
        hint = f'<br><span class="hint">hint: {html_text(f.hint)}</span>' if f.hint else ""
        sev = f.severity.label
        return (
            f'<tr class="finding"><td><span class="sev sev-{sev}">{sev}</span></td>'
            f"<td><code>{html_text(f.rule)}</code></td>"
            f'<td><a href="{href}">{place}</a></td>'
            f"<td>{html_text(f.message)}{hint}</td></tr>"
        )

    def _hosts(self, links: list[LinkResult] | None) -> list[str]:
        out = ['<section id="hosts"><h2>Link health by host</h2>']
        if links is None:
            return [*out, '<p class="muted">Links were not checked in this run.</p></section>']
        head = (
            '<table><thead><tr><th>host</th><th class="num">URLs</th>'
            '<th class="num">requests</th><th class="num">failures</th>'
            '<th class="num">median latency</th></tr></thead><tbody>'
        )
        rows = []
        for host, urls, requests, failures, median in host_health(links):
            latency = f"{median} ms" if median is not None else "-"
            rows.append(
                f'<tr class="host"><td>{html_text(host)}</td><td class="num">{urls}</td>'
                f'<td class="num">{requests}</td><td class="num">{failures}</td>'
                f'<td class="num">{latency}</td></tr>'
            )
        out += [head, *rows[:HOSTS_SHOWN], "</tbody></table>"]
        if len(rows) > HOSTS_SHOWN:
            more = _plural(len(rows) - HOSTS_SHOWN, "more host")
            out += [f"<details><summary>{more}</summary>", head, *rows[HOSTS_SHOWN:]]
            out += ["</tbody></table></details>"]
        out.append(
            '<p class="muted">Requests include retries; latency is the median over the URLs '
            "fetched this run (answers reused from the cache are not timed).</p></section>"
        )
        return out

    def _failing(self, report: Report) -> list[str]:
        if report.links is None:
            return []
        # Failing links that still have a finding: a waived one or an outage is no row.
        failing = report.failing_links()
        out = ['<section id="failing"><h2>Failing links</h2>']
        if not failing:
            return [*out, '<p class="muted">No failing links.</p></section>']
        out.append(
            "<table><thead><tr><th>URL</th><th>verdict</th><th>status</th>"
            '<th>where</th><th class="nowrap">failing since</th></tr></thead><tbody>'
        )
        flagged = report.link_findings()
        out.extend(self._link_row(r, flagged[r.url]) for r in failing)
        out.append("</tbody></table></section>")
        return out

    def _link_row(self, r: LinkResult, findings: list[Finding]) -> str:
        href = html_href(r.url)
        url = f'<a href="{href}">{html_text(r.url)}</a>' if href else html_text(r.url)
        # The crawler's error names the status when there is one ("HTTP 404").
        status = r.error or (str(r.status) if r.status is not None else "")
        # The places are the findings' (a waiver in one entry hides only that place).
        places = "<br>".join(
            f'<a href="{html_text(file_link(f.file, f.line, self.blob_base_url))}">'
            f"{html_text(f.file)}:{f.line}</a>"
            + (f" <code>{html_text(f.entry)}</code>" if f.entry else "")
            for f in findings
        )
        return (
            f'<tr class="failing"><td class="url">{url}</td><td>{html_text(r.verdict.value)}</td>'
            f'<td class="nowrap">{html_text(status or "-")}</td><td>{places or "-"}</td>'
            f'<td class="nowrap">{html_text(history_age(r))}</td></tr>'
        )

    def _history(self, runs: list[RunSummary] | None, *, crawled: bool) -> list[str]:
        out = ['<section id="history"><h2>History</h2>']
        nights = nightly(runs or [])
        if not nights:
            why = "no run recorded yet"
            if runs is None:  # no run log: either no crawl, or one without a cache
                why = "no cache was used" if crawled else "the link check did not run"
            return [*out, f'<p class="muted">No history: {why}.</p></section>']
        first, last = nights[0].at[:10], nights[-1].at[:10]
        out.append(
            f"<p>Failing links per night, {_plural(len(nights), 'night')} "
            f"from {html_text(first)} to {html_text(last)} (the last run of each UTC day).</p>"
        )
        out.append(chart(nights))
        out.append("</section>")
        return out


__all__ = ["HtmlReporter", "chart", "host_health", "nightly"]
