"""The public home page: what saasapp does, in one screen."""

from __future__ import annotations

import reflex as rx

from saasapp.ui.layout import ACCENT, page_shell

STEPS = [
    ("wand-sparkles", "Generate", "Describe a tool in a sentence; the AI generator builds a "
     "working single-page app you can preview, refine and version."),
    ("rocket", "Publish", "Put it online at its own address with a landing page, an email "
     "capture form and cookie-free analytics."),
    ("workflow", "Automate", "Wire triggers to actions: post to X and LinkedIn, sync leads to "
     "Brevo or Mailchimp, call webhooks, on a schedule or on events."),
    ("coins", "Earn", "Collect SaaS loyalty tokens for referrals and launches, redeem them for "
     "rewards or claim them to your wallet."),
]  # fmt: skip


def _step(icon: str, title: str, body: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=28, color=rx.color(ACCENT, 9)),
            rx.heading(title, size="4"),
            rx.text(body, size="2", color_scheme="gray"),
            spacing="2",
        ),
        width="100%",
    )


def home_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.badge("Python-built micro-SaaS studio", color_scheme=ACCENT, size="2"),
            rx.heading(
                "From idea to a live micro-SaaS tool in minutes",
                size="8",
                id="home-title",
            ),
            rx.text(
                "saasapp generates small web tools with AI, publishes them with a landing page "
                "and email capture, automates their marketing, and rewards you with SaaS "
                "tokens for every referral and launch.",
                size="4",
                color_scheme="gray",
                max_width="720px",
            ),
            rx.grid(
                *[_step(*step) for step in STEPS],
                columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing="4",
                width="100%",
                margin_top="4",
            ),
            spacing="4",
            align="start",
        )
    )
