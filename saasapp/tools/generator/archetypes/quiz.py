"""Quiz: multiple-choice questions, a score at the end, explanations after scoring."""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, pick_preset, title_from_idea
from saasapp.tools.generator.archetypes._page import esc, render_page, tool_data
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec


def _q(question: str, options: list[str], answer: int, explanation: str = "") -> dict[str, Any]:
    return {"question": question, "options": options, "answer": answer, "explanation": explanation}


PRESETS: dict[str, dict[str, Any]] = {
    "security": {
        "keywords": ("security", "phishing", "password", "cyber", "privacy"),
        "name": "Security Awareness Quiz",
        "questions": [
            _q(
                "Which password is strongest?",
                ["Summer2024!", "correct-horse-battery-staple", "P@ssw0rd"],
                1,
                "Long passphrases beat short clever ones.",
            ),
            _q(
                "An email asks you to confirm your bank login via a link. You…",
                ["Click and log in", "Open your bank's site yourself", "Reply with details"],
                1,
                "Go to the site directly; links in emails can be forged.",
            ),
            _q(
                "What does two-factor authentication add?",
                ["A second proof of identity", "A longer password", "Faster logins"],
                0,
                "Something you have or are, besides something you know.",
            ),
            _q(
                "Public Wi-Fi is safest with…",
                ["A VPN or HTTPS-only sites", "Bluetooth on", "File sharing enabled"],
                0,
                "Encrypt what you send on networks you don't control.",
            ),
        ],
    },
    "finance": {
        "keywords": ("finance", "money", "budget", "invest", "saving"),
        "name": "Personal Finance Quiz",
        "questions": [
            _q(
                "An emergency fund usually covers…",
                ["1 week", "3-6 months of expenses", "10 years"],
                1,
                "Three to six months of essential expenses is the usual advice.",
            ),
            _q(
                "Compound interest means earning interest on…",
                ["The principal only", "Principal and past interest", "Fees"],
                1,
                "Interest earns interest over time.",
            ),
            _q(
                "Which usually costs the most interest?",
                ["A mortgage", "A credit card balance", "A student loan"],
                1,
                "Credit card rates are typically the highest.",
            ),
        ],
    },
    "geography": {
        "keywords": ("geography", "capital", "country", "countries", "world", "map"),
        "name": "World Capitals Quiz",
        "questions": [
            _q("What is the capital of Australia?", ["Sydney", "Canberra", "Melbourne"], 1),
            _q("What is the capital of Canada?", ["Toronto", "Vancouver", "Ottawa"], 2),
            _q("What is the capital of Japan?", ["Tokyo", "Osaka", "Kyoto"], 0),
            _q("What is the capital of Brazil?", ["Rio de Janeiro", "Brasília", "São Paulo"], 1),
        ],
    },
    "general": {
        "keywords": (),
        "name": "",
        "questions": [
            _q("How many days are in a leap year?", ["365", "366", "364"], 1),
            _q("Which planet is known as the Red Planet?", ["Venus", "Mars", "Jupiter"], 1),
            _q("What is 7 × 8?", ["54", "56", "64"], 1),
            _q(
                "Which gas do plants absorb from the air?",
                ["Oxygen", "Nitrogen", "Carbon dioxide"],
                2,
            ),
            _q("How many continents are there?", ["5", "6", "7"], 2),
        ],
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    key = pick_preset(brief.text, PRESETS, "general")
    preset = PRESETS[key]
    return {
        "name": preset["name"] or title_from_idea(brief.idea, "Quiz"),
        "tagline": "Answer every question, then see your score."
        + ("" if preset["name"] else " Edit the questions to fit your topic."),
        "inputs": [],
        "outputs": [{"key": "score", "label": "Your score", "format": "text"}],
        "config": {"questions": preset["questions"], "pass_percent": 70},
    }


SCRIPT = """
var questions = TOOL.config.questions || [];
var pass = TOOL.config.pass_percent == null ? 70 : TOOL.config.pass_percent;
$("btn-score").addEventListener("click", function () {
  var correct = 0, unanswered = 0;
  questions.forEach(function (q, i) {
    var chosen = document.querySelector("input[name='q" + i + "']:checked");
    var box = $("q-" + i), note = $("q-" + i + "-feedback");
    var right = chosen && Number(chosen.value) === Number(q.answer);
    if (!chosen) unanswered++;
    if (right) correct++;
    box.classList.toggle("correct", !!right); box.classList.toggle("wrong", !right);
    var answerText = (q.options || [])[q.answer];
    note.textContent = (right ? "Correct. " : "Answer: " + answerText + ". ")
      + (q.explanation || "");
  });
  var pct = questions.length ? Math.round(correct / questions.length * 100) : 0;
  var out = $("out-score");
  out.textContent = correct + " / " + questions.length + " (" + pct + "%)";
  out.setAttribute("data-value", String(correct));
  $("out-message").textContent = (pct >= pass ? "Well done, you passed!" : "Keep practising.")
    + (unanswered ? " " + unanswered + " unanswered." : "");
  $("score-card").hidden = false;
  out.focus();
});
$("btn-retry").addEventListener("click", function () {
  document.querySelectorAll("#questions input[type=radio]").forEach(function (r) {
    r.checked = false; });
  questions.forEach(function (q, i) {
    $("q-" + i).classList.remove("correct", "wrong"); $("q-" + i + "-feedback").textContent = "";
  });
  $("score-card").hidden = true;
});
"""

QUIZ_CSS = """<style>
fieldset{border:1px solid var(--line);border-radius:12px;margin:0 0 1rem;padding:1rem}
legend{font-weight:700;padding:0 .3rem}
.option{display:flex;gap:.5rem;align-items:center;margin:.3rem 0}
.option label{font-weight:400}
fieldset.correct{border-color:#16a34a}fieldset.wrong{border-color:#dc2626}
</style>"""


def build(spec: ToolSpec) -> str:
    questions = spec.config.get("questions")
    problems = []
    if not isinstance(questions, list) or not questions:
        problems.append("config.questions: a list of questions")
        questions = []
    for i, q in enumerate(questions):
        options = q.get("options") if isinstance(q, dict) else None
        if not isinstance(options, list) or len(options) < 2:
            problems.append(f"config.questions[{i}].options: at least two options")
        elif not isinstance(q.get("answer"), int) or not 0 <= q["answer"] < len(options):
            problems.append(f"config.questions[{i}].answer: the index of the right option")
    if problems:
        raise SpecError("The quiz spec is incomplete.", problems)
    blocks = []
    for i, q in enumerate(questions):
        options = "".join(
            f'<div class=option><input type=radio id="q{i}-o{j}" name="q{i}" value="{j}">'
            f'<label for="q{i}-o{j}">{esc(option)}</label></div>'
            for j, option in enumerate(q["options"])
        )
        blocks.append(
            f'<fieldset id="q-{i}"><legend>{i + 1}. {esc(q.get("question", ""))}</legend>'
            f'{options}<p id="q-{i}-feedback" class=help aria-live=polite></p></fieldset>'
        )
    body = f"""{QUIZ_CSS}<section class=card aria-labelledby="quiz-title">
<h2 id="quiz-title" class=sr-only>Questions</h2>
<div id="questions">{"".join(blocks)}</div>
<div class="actions no-print"><button type=button id="btn-score">See my score</button>
<button type=button id="btn-retry" class=secondary>Try again</button></div>
</section>
<section class=card id="score-card" hidden aria-labelledby="label-out-score">
<div class=result><span class=result-label id="label-out-score">Your score</span>
<output id="out-score" tabindex=-1 aria-labelledby="label-out-score" aria-live=polite
data-value="">—</output></div>
<p id="out-message" aria-live=polite></p>
</section>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="quiz",
    summary="Multiple-choice questions with a score at the end.",
    keywords=(
        ("quiz", 4),
        ("trivia", 3),
        ("test your", 2),
        ("questionnaire", 2),
        ("exam", 2),
        ("flashcard", 2),
        ("assessment", 2),
    ),
    draft=draft,
    build=build,
)
