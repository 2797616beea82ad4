"""/generator: the wizard — idea, audience and style, optional questions, editable spec, build."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from saasapp import routes
from saasapp.accounts.models import User
from saasapp.core.errors import ServiceError
from saasapp.tools import generations, wizard
from saasapp.tools.generator.brief import Brief
from saasapp.ui.auth import db_call
from saasapp.ui.forms import field, form, form_message
from saasapp.ui.guards import signed_in
from saasapp.ui.layout import page_shell
from saasapp.ui.rate_limit import limit_handler

STEPS = ["Idea", "Questions", "Spec", "Build"]


def _problems(exc: ServiceError) -> list[str]:
    return list((exc.details or {}).get("problems") or [])


class GeneratorState(rx.State):
    step: str = "idea"  # idea | questions | spec
    mode: str = ""  # "offline" or "<provider>/<model>"
    idea: str = ""
    audience: str = ""
    category: str = ""
    features: str = ""
    style: str = ""
    questions: list[str] = []
    spec_name: str = ""
    spec_tagline: str = ""
    spec_archetype: str = ""
    spec_json: str = ""
    error: str = ""
    problems: list[str] = []
    quota: str = ""
    busy: bool = False

    @rx.var
    def offline(self) -> bool:
        return self.mode == "offline"

    @rx.event
    @signed_in
    async def load(self, user: User):
        self.mode = wizard.generator_mode()
        self.step, self.error, self.problems = "idea", "", []
        used, limit, _ = await db_call(generations.quota_status, user)
        self.quota = f"{used} of {limit} builds used today"
        suggested = self.router.url.query_parameters.get("idea", "")
        if suggested:
            self.idea = suggested[:500]

    @rx.event
    def use_example(self, idea: str):
        self.idea = idea

    @rx.event
    async def describe(self, form_data: dict):
        """Step 1 → questions (with a model) or straight to the spec."""
        self.error, self.problems = "", []
        self.idea = form_data.get("idea", "").strip()
        self.audience = form_data.get("audience", "").strip()
        self.category = form_data.get("category", "")
        self.features = form_data.get("features", "")
        self.style = form_data.get("style", "").strip()
        if not self.idea:
            self.error = "Describe the tool first: “Generate a SaaS tool for …”."
            return
        if message := await limit_handler(self, "20/minute", "wizard"):
            self.error = message
            return
        self.busy = True
        yield
        try:
            # The model may take seconds: off the event loop.
            self.questions = await asyncio.to_thread(wizard.clarifying_questions, self._brief())
        finally:
            self.busy = False
        if self.questions:
            self.step = "questions"
        else:
            yield GeneratorState.draft({})

    def _brief(self) -> Brief:
        features = tuple(line.strip("-• ") for line in self.features.splitlines())
        return Brief(self.idea, self.audience, self.category, features, self.style)

    @rx.event
    async def draft(self, answers: dict):
        """Questions (optional) → an editable spec."""
        self.busy, self.error, self.problems = True, "", []
        yield
        try:
            answered = {q: answers.get(f"answer_{i}", "") for i, q in enumerate(self.questions)}
            drafted = await asyncio.to_thread(
                wizard.draft_spec,
                self._brief(),
                answers={q: a for q, a in answered.items() if a.strip()},
            )
        except ServiceError as exc:
            self.error, self.problems = exc.message, _problems(exc)
            return
        finally:
            self.busy = False
        self._show_spec(drafted.spec)
        self.step = "spec"

    def _show_spec(self, spec: dict) -> None:
        self.spec_name = spec.get("name", "")
        self.spec_tagline = spec.get("tagline", "")
        self.spec_archetype = spec.get("archetype") or ""
        self.spec_json = json.dumps(spec, indent=2, ensure_ascii=False)

    @rx.event
    def back(self, step: str):
        self.step, self.error, self.problems = step, "", []

    @rx.event
    @signed_in
    async def build(self, user: User, form_data: dict):
        """The edited spec → a queued build; opens the tool page where it streams in."""
        self.error, self.problems = "", []
        try:
            spec = json.loads(form_data.get("spec_json", "") or "{}")
        except json.JSONDecodeError as exc:
            self.error = f"The spec is not valid JSON (line {exc.lineno}): {exc.msg}."
            return
        if not isinstance(spec, dict):
            self.error = "The spec must be a JSON object."
            return
        spec["name"] = form_data.get("spec_name", spec.get("name", ""))
        spec["tagline"] = form_data.get("spec_tagline", spec.get("tagline", ""))
        self.busy = True
        yield
        try:
            generation = await db_call(generations.start_generation, user, spec=spec)
        except ServiceError as exc:
            self.error, self.problems = exc.message, _problems(exc)
            self.spec_json = json.dumps(spec, indent=2, ensure_ascii=False)
            return
        finally:
            self.busy = False
        yield rx.redirect(routes.tool_path(generation.tool_id))


def _stepper() -> rx.Component:
    return rx.hstack(
        *[
            rx.badge(
                f"{i + 1}. {label}",
                variant=rx.cond(GeneratorState.step == label.lower(), "solid", "soft"),
                color_scheme=rx.cond(GeneratorState.step == label.lower(), "indigo", "gray"),
            )
            for i, label in enumerate(STEPS)
        ],
        spacing="2",
    )


def _mode_badge() -> rx.Component:
    return rx.cond(
        GeneratorState.offline,
        rx.callout(
            "Offline generator: no AI model is configured, so tools are built from a catalogue "
            "of working templates (calculator, converter, checklist, quiz, pricing, countdown, "
            "invoice, text utility). Set OPENAI_API_KEY or OPENAI_BASE_URL to use a model.",
            icon="cpu",
            color_scheme="amber",
            id="generator-mode",
        ),
        rx.callout(rx.text("Model: ", rx.code(GeneratorState.mode)), icon="sparkles",
                   id="generator-mode"),
    )  # fmt: skip


def _idea_step() -> rx.Component:
    return rx.vstack(
        rx.text("Start from an example:", size="2", color_scheme="gray"),
        rx.flex(
            *[
                rx.button(idea, size="1", variant="soft", on_click=GeneratorState.use_example(idea),
                          id=f"example-{i}")
                for i, idea in enumerate(wizard.EXAMPLE_IDEAS)
            ],
            wrap="wrap",
            spacing="2",
        ),
        form(
            rx.text("Generate a SaaS tool for…", as_="label", html_for="field-idea",
                    weight="medium"),
            rx.text_area(name="idea", id="field-idea", default_value=GeneratorState.idea,
                         placeholder="e.g. a tip calculator that splits the bill between friends",
                         rows="3", width="100%", required=True),
            rx.grid(
                field("Audience", "audience", required=False, default_value=GeneratorState.audience,
                      placeholder="Who is it for?"),
                rx.vstack(
                    rx.text("Category", size="2", weight="medium"),
                    rx.select(list(wizard.CATEGORIES), name="category",
                              placeholder="Pick one (optional)", id="field-category"),
                    spacing="1",
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            rx.text("Must-have features (one per line)", size="2", weight="medium"),
            rx.text_area(name="features", id="field-features", rows="3", width="100%",
                         default_value=GeneratorState.features),
            field("Style", "style", required=False, default_value=GeneratorState.style,
                  placeholder="e.g. friendly, green accent, minimal"),
            rx.button("Next", type="submit", loading=GeneratorState.busy, id="wizard-next",
                      size="3"),
            on_submit=GeneratorState.describe,
            key=GeneratorState.idea,
        ),
        width="100%",
        spacing="3",
    )  # fmt: skip


def _questions_step() -> rx.Component:
    return form(
        rx.text("A few questions from the model (all optional):", color_scheme="gray"),
        rx.foreach(
            GeneratorState.questions,
            lambda q, i: rx.vstack(
                rx.text(q, size="2", weight="medium"),
                rx.input(
                    name="answer_" + i.to_string(), width="100%", id="answer-" + i.to_string()
                ),
                width="100%",
            ),
        ),
        rx.hstack(
            rx.button("Back", variant="soft", type="button", on_click=GeneratorState.back("idea")),
            rx.button("Write the spec", type="submit", loading=GeneratorState.busy,
                      id="wizard-draft"),
        ),
        on_submit=GeneratorState.draft,
    )  # fmt: skip


def _spec_step() -> rx.Component:
    return form(
        rx.text("Check and edit the spec, then build.", color_scheme="gray"),
        rx.grid(
            field("Name", "spec_name", default_value=GeneratorState.spec_name),
            field("Tagline", "spec_tagline", required=False,
                  default_value=GeneratorState.spec_tagline),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.cond(GeneratorState.spec_archetype != "",
                rx.text("Archetype: ", rx.code(GeneratorState.spec_archetype), size="2")),
        rx.text("Full spec (JSON): inputs, outputs, formulas, questions, style, SEO",
                size="2", weight="medium"),
        rx.text_area(name="spec_json", id="field-spec", default_value=GeneratorState.spec_json,
                     rows="18", width="100%", font_family="monospace", size="1"),
        rx.hstack(
            rx.button("Back", variant="soft", type="button", on_click=GeneratorState.back("idea")),
            rx.button(rx.icon("hammer", size=16), "Build the tool", type="submit", size="3",
                      loading=GeneratorState.busy, id="wizard-build"),
        ),
        on_submit=GeneratorState.build,
        key=GeneratorState.spec_json,
    )  # fmt: skip


def generator_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.hstack(
                rx.heading("Generate a tool", size="7", id="page-title"),
                rx.spacer(),
                rx.text(GeneratorState.quota, size="2", color_scheme="gray", id="quota"),
                width="100%",
                align="center",
            ),
            _stepper(),
            _mode_badge(),
            form_message(GeneratorState.error, id="wizard-error"),
            rx.cond(
                GeneratorState.problems.length() > 0,
                rx.unordered_list(rx.foreach(GeneratorState.problems, rx.list_item),
                                  id="wizard-problems", color=rx.color("red", 11)),
            ),
            rx.match(
                GeneratorState.step,
                ("questions", _questions_step()),
                ("spec", _spec_step()),
                _idea_step(),
            ),
            spacing="4",
            width="100%",
        )
    )  # fmt: skip
