"""Scenario ``generator``: offline generation time per tool, for each archetype, in-process.

Ours: ``draft_spec(brief)`` then ``build_tool(spec)`` (keyword matching, the archetype's draft,
spec validation, completion of the spec, the page and its manifest), timed together.

Baseline: the same page emitted by a precompiled ``str.format`` template, i.e. the page
the generator produced with its literal braces doubled and the spec's name, tagline and
description turned into fields, filled with those three values HTML-escaped. Same output,
byte for byte (checked), so the ratio is what the generator's logic costs over the floor of
writing that page from a template.

Both run in this process, interleaved (one of each per repetition) so that a noisy moment hits
both; a few warm-up repetitions are not counted.
"""

from __future__ import annotations

import html
import time

from bench.harness import Comparison, Environment, Figure, Options, percentile
from saasapp.tools.generator.brief import Brief

NAME = "generator"
DEFAULT_RUNS = 300
QUICK_RUNS = 30
WARMUP_RUNS = 5

# One idea per archetype (the offline catalogue's keywords pick it).
SAMPLE_IDEAS = {
    "calculator": "A mortgage calculator for first-time buyers",
    "converter": "Convert kilometres to miles for runners",
    "checklist": "A packing checklist for family trips",
    "quiz": "A quiz that tests cyber security awareness",
    "pricing": "Pricing estimator for my SaaS plans",
    "countdown": "Countdown to our product launch",
    "invoice": "Invoice builder for freelancers",
    "text_utility": "Word counter for essays",
}
FIELDS = ("name", "tagline", "description")


def generate(idea: str) -> str:
    from saasapp.tools.generator import offline

    return offline.build_tool(offline.draft_spec(Brief(idea))).html


def format_template(page: str, values: dict[str, str]) -> str:
    """A ``str.format`` template that renders ``page`` from ``values`` (escaped when filled)."""
    template = page.replace("{", "{{").replace("}", "}}")
    for key, value in values.items():
        escaped = html.escape(value, quote=True)
        if escaped:
            template = template.replace(escaped, "{" + key + "}")
    return template


def render_baseline(template: str, values: dict[str, str]) -> str:
    return template.format(**{k: html.escape(v, quote=True) for k, v in values.items()})


def _figure(target: str, timings: list[float], baseline: bool = False) -> Figure:
    total = sum(timings)
    return Figure(
        scenario=NAME,
        target=target,
        throughput=len(timings) / total if total else float("nan"),
        p50_ms=percentile(timings, 50) * 1000,
        p99_ms=percentile(timings, 99) * 1000,
        unit="pages/s",
        count=len(timings),
        baseline=baseline,
    )


def measure(archetype: str, idea: str, runs: int) -> Comparison:
    from saasapp.tools.generator import offline

    spec = offline.draft_spec(Brief(idea))
    if spec.archetype != archetype:
        raise RuntimeError(f"{idea!r} drafts a {spec.archetype}, not a {archetype}")
    page = offline.build_tool(spec).html
    values = {key: getattr(spec, key) for key in FIELDS}
    template = format_template(page, values)
    if render_baseline(template, values) != page:
        raise RuntimeError(f"the {archetype} template does not render the generated page")

    ours: list[float] = []
    base: list[float] = []
    clock = time.perf_counter
    for index in range(WARMUP_RUNS + runs):
        started = clock()
        generate(idea)
        middle = clock()
        render_baseline(template, values)
        ended = clock()
        if index >= WARMUP_RUNS:
            ours.append(middle - started)
            base.append(ended - middle)
    kib = len(page.encode()) / 1024
    return Comparison(
        _figure(f"{archetype}: draft_spec + build_tool ({kib:.0f} KiB)", ours),
        _figure(f"{archetype}: str.format of the same page", base, baseline=True),
    )


def run(env: Environment, options: Options) -> list[Comparison]:
    runs = options.runs or (QUICK_RUNS if options.quick else DEFAULT_RUNS)
    comparisons = [measure(archetype, idea, runs) for archetype, idea in SAMPLE_IDEAS.items()]
    comparisons[0].notes.append(
        f"generator: in-process, {runs} interleaved repetitions per archetype after "
        f"{WARMUP_RUNS} warm-up ones; throughput = repetitions / summed time. Baseline: the "
        "generated page as a precompiled str.format template (name, tagline and description "
        "as fields, HTML-escaped when filled), rendering the same bytes."
    )
    return comparisons
