"""Form pieces with stable ids and errors shown next to their field."""

from __future__ import annotations

import reflex as rx


def field(
    label: str,
    name: str,
    *,
    type: str = "text",
    error: rx.Var | str = "",
    default_value: rx.Var | str | None = None,
    value: rx.Var | None = None,
    on_change: rx.EventHandler | None = None,
    auto_complete: str | None = None,
    placeholder: str = "",
    required: bool = True,
    hint: str = "",
) -> rx.Component:
    """A labelled input; uncontrolled (``default_value``) unless ``value`` and ``on_change`` make
    it follow the state (a value the server may set while the user types elsewhere in the form)."""
    props = {}
    if default_value is not None:
        props["default_value"] = default_value
    if value is not None:
        props.update(value=value, on_change=on_change)
    if auto_complete:
        props["auto_complete"] = auto_complete
    return rx.vstack(
        rx.text(label, as_="label", html_for=f"field-{name}", size="2", weight="medium"),
        rx.input(
            name=name,
            id=f"field-{name}",
            type=type,
            placeholder=placeholder,
            required=required,
            width="100%",
            size="3",
            **props,
        ),
        *([rx.text(hint, size="1", color_scheme="gray")] if hint else []),
        rx.cond(
            error != "",
            rx.text(error, id=f"error-{name}", size="2", color_scheme="red"),
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def form_message(message: rx.Var, *, color: str = "red", id: str = "form-error") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, color_scheme=color, id=id, width="100%"),
    )


def submit(label: str, *, loading: rx.Var, id: str) -> rx.Component:
    return rx.button(label, type="submit", loading=loading, id=id, size="3", width="100%")


def auth_card(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, size="6", id="page-title"),
                rx.text(subtitle, color_scheme="gray", size="2"),
                *children,
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="440px",
            size="3",
        ),
        width="100%",
        padding_top="6",
    )


def form(*children: rx.Component, on_submit, reset: bool = False, **props) -> rx.Component:
    """A full-width form of stacked fields; values stay after submitting unless ``reset``."""
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        reset_on_submit=reset,
        width="100%",
        **props,
    )
