"""The rule book: every rule id the tool can emit and everything said about it.

The only source of rule metadata: id, default severity, title (one-line summary),
the docs anchor, and (from ``rulehelp.yaml`` next to this module, read once, lazily)
the help and example ``validator rules`` and SARIF show. Checks build findings with these ids
and never state a severity themselves; a finding carries a severity only as an
explicit override (``--fail-after``). Which crawl verdict breaks which link rule is
the one table in :mod:`validator.links.verdicts`. Plain data, below the checks and
the reporters alike: this module imports nothing from the project.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib.resources
import typing as t

import yaml


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so ``max()`` and comparisons work."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @property
    def label(self) -> str:
        """Lower-case name used in every output format."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read ``"error"``/``"warning"``/``"info"`` (as in config files and options)."""
        return cls[value.upper()]


DOCS = "docs/rules.md"
FAMILY_ANCHORS = {
    "offline": "offline-always-run-by-validator-validate",
    "links": "links-validate---online-validator-links",
    "hub": "hugging-face-validate---online",
    "import": "import-validator-import-about-the-page-it-reads",
}
"""The heading of docs/rules.md that lists each family (GitHub's heading anchors)."""


@dataclasses.dataclass(frozen=True)
class RuleInfo:
    """What a rule id means: its default severity, title and where it is documented."""

    id: str
    severity: Severity
    summary: str
    """The title: one sentence saying what the rule finds."""
    family: str = "offline"
    """``offline`` (always runs), ``links`` or ``hub`` (only in online runs), ``import``
    (only ``validator import``, about the page it reads)."""

    @property
    def title(self) -> str:
        """The one-line summary, under the name reporters use."""
        return self.summary

    @property
    def docs_anchor(self) -> str:
        """``docs/rules.md#section`` where this rule is listed."""
        return f"{DOCS}#{FAMILY_ANCHORS[self.family]}"

    @property
    def help_text(self) -> str:
        """What triggers the rule, why it matters and how to fix it, in general (a
        finding's own hint is more specific)."""
        return _help()[self.id]["help"]

    @property
    def example(self) -> str:
        """A few catalog lines (or a one-line situation) that trigger the rule."""
        return _help()[self.id]["example"]

    @property
    def waivable(self) -> bool:
        """Whether an entry's ``waivers:`` can silence it. Waivers apply to entries that
        loaded and passed the schema, so not to findings about the file itself (its
        bytes, its YAML, its schema), nor to the waiver rules, nor to import's findings
        about the page it reads."""
        return not (self.id in UNWAIVABLE or self.family == "import")


UNWAIVABLE = frozenset(
    {
        "file-unreadable",
        "file-encoding",
        "file-too-large",
        "yaml-empty",
        "yaml-syntax",
        "yaml-not-mapping",
        "yaml-too-deep",
        "yaml-duplicate-key",
        "yaml-anchor",
        "schema",
        "waiver-missing-reason",
        "waiver-unknown-rule",
        "waiver-unused",
        "waiver-duplicate",
    }
)
"""Rules no entry can waive (see :attr:`RuleInfo.waivable`)."""


@functools.cache
def _help() -> dict[str, dict[str, str]]:
    text = importlib.resources.files(__package__).joinpath("rulehelp.yaml").read_text("utf-8")
    return t.cast(dict[str, dict[str, str]], yaml.safe_load(text))


def _r(rule: str, severity: Severity, summary: str, family: str = "offline") -> RuleInfo:
    return RuleInfo(rule, severity, summary, family)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        _r("file-unreadable", E, "The file cannot be read."),
        _r("file-encoding", E, "The file is not UTF-8."),
        _r("file-too-large", E, "The file is larger than the 1 MB cap for a catalog file."),
        _r("yaml-empty", E, "The file is empty or holds only comments."),
        _r("yaml-syntax", E, "The file is not valid YAML."),
        _r("yaml-not-mapping", E, "The file holds a list or a single value, not key: value lines."),
        _r("yaml-too-deep", E, "Values are nested more than 64 levels deep."),
        _r("yaml-duplicate-key", E, "A mapping defines the same key twice."),
        _r("yaml-anchor", E, "Anchors, aliases and merge keys are refused."),
        _r("schema", E, "The entry does not match its JSON Schema."),
        _r("id-filename-mismatch", E, "The entry id differs from its file name."),
        _r("duplicate-id", E, "Two entries share an id."),
        _r("duplicate-name", W, "Two entries of the same kind share a name."),
        _r("duplicate-url", W, "A checkpoint, dataset or eval URL appears twice."),
        _r("reference-unknown", E, "`based_on` names an entry that does not exist."),
        _r("license-unknown", E, "A license id is not defined in licenses.yaml."),
        _r("license-book-missing", W, "No licenses.yaml was found; license ids go unchecked."),
        _r("release-date-invalid", E, "The release date is not a real calendar date."),
        _r("release-date-future", E, "The release date lies in the future."),
        _r(
            "release-date-vs-url",
            W,
            "The release month is >3 months from the date in the paper/blog URL.",
        ),
        _r("release-date-year-only", I, "The release date gives a year but no month."),
        _r(
            "release-date-vs-row-url",
            W,
            "The release month is >3 months from a date that a checkpoint or source URL carries.",
        ),
        _r("range-inverted", E, "A range has min greater than max."),
        _r("license-unnamed", W, "A custom/other license reference carries no license name."),
        _r(
            "license-wrong-for-family",
            W,
            "A checkpoint belongs to a family published under another license.",
        ),
        _r("checkpoint-size-vs-params", W, "A size in a checkpoint name is not in Params (B)."),
        _r(
            "checkpoint-variant-vs-row",
            W,
            "The row names a variant (small, 7B, ...) that none of its checkpoints is.",
        ),
        _r("model-in-two-tables", I, "The same checkpoint is listed in two tables."),
        _r("raw-cell-stale", W, "A page cell kept in `raw` no longer says what its field says."),
        _r("hf-url-malformed", E, "A Hugging Face URL is not huggingface.co/{org}/{name}."),
        _r("hf-org-only", W, "A checkpoint links a Hugging Face organisation, not a model."),
        _r(
            "context-source-mismatch",
            W,
            "The context-length source is about another model or organisation.",
        ),
        _r(
            "import-cell-unmodelled",
            W,
            "A page cell the schema cannot model; import kept it verbatim in `raw`.",
            "import",
        ),
        _r(
            "import-license-unknown",
            W,
            "A License cell names a license the book does not know; kept whole as `other`.",
            "import",
        ),
        _r("waiver-missing-reason", E, "A waiver has no written reason."),
        _r("waiver-unknown-rule", E, "A waiver names a rule that does not exist."),
        _r("waiver-unused", W, "A waiver silences a rule that no longer fires."),
        _r("waiver-duplicate", W, "An entry waives the same rule twice."),
        _r("link-dead", E, "The link is dead (404, 410, unknown domain).", "links"),
        _r("link-error", W, "The link failed after retries.", "links"),
        _r("link-timeout", W, "The link timed out after retries.", "links"),
        _r("link-fragment-missing", W, "The page is alive but the #anchor is not in it.", "links"),
        _r("link-redirected", W, "The link redirects permanently; carry the new URL.", "links"),
        _r("link-blocked", I, "The host refuses robots; the link is unverifiable.", "links"),
        _r("link-file-url", E, "A catalog URL is file://, a path on one machine.", "links"),
        _r("hub-license-mismatch", E, "The Hub's license differs from the catalog's.", "hub"),
        _r("hub-license-ambiguous", W, "Two licenses and no per-checkpoint license.", "hub"),
        _r(
            "hub-context-trained",
            I,
            "config.json states the trained length of a model whose catalog value is extrapolated.",
            "hub",
        ),
        _r(
            "hub-context-mismatch",
            W,
            "config.json's context length differs from the catalog's.",
            "hub",
        ),
        _r(
            "hub-params-mismatch",
            W,
            "safetensors' parameter count differs from the catalog's.",
            "hub",
        ),
        _r(
            "hub-release-before-repo",
            W,
            "The release date precedes the repo's first commit.",
            "hub",
        ),
        _r("hub-repo-missing", E, "The Hugging Face repo does not exist.", "hub"),
        _r("hub-repo-gated", I, "The repo is gated; its files could not be read.", "hub"),
        _r("hub-repo-disabled", W, "The repo has been disabled.", "hub"),
        _r(
            "hub-repo-renamed",
            W,
            "The repo was renamed; the catalog should carry the new id.",
            "hub",
        ),
        _r("hub-unavailable", W, "The Hub could not be asked (rate limit or errors).", "hub"),
    )
}


def severity_of(rule: str) -> Severity:
    """The default severity of ``rule``; ``KeyError`` for a rule the book does not know."""
    return RULES[rule].severity
