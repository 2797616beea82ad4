"""The formula language of calculator tools: a small, safe expression grammar.

A formula is parsed and validated here, in Python, into a JSON tree; the generated page carries
the tree and a ~30-line interpreter, so no spec text is ever turned into JavaScript code (and the
preview's CSP need not allow ``eval``). ``evaluate`` computes the same value in Python, which is
what the tests compare the browser against.

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/" | "%") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom ("^" unary)?            right-associative
    atom   := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_FORMULA_LENGTH = 500
MAX_DEPTH = 40

# name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (1, 20),
    "max": (1, 20),
    "round": (1, 2),
    "floor": (1, 1),
    "ceil": (1, 1),
    "abs": (1, 1),
    "sqrt": (1, 1),
    "pow": (2, 2),
    "log": (1, 1),
    "log10": (1, 1),
    "exp": (1, 1),
}
CONSTANTS = {"pi": math.pi}

_NUMBER = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Node = list[Any]


class FormulaError(ValueError):
    """A formula that does not parse or names something unknown."""


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        number = _NUMBER.match(text, pos)
        if number:
            tokens.append(("num", number.group(0), pos))
            pos = number.end()
            continue
        name = _NAME.match(text, pos)
        if name:
            tokens.append(("name", name.group(0), pos))
            pos = name.end()
            continue
        char = text[pos]
        if char in "+-*/%^(),":
            tokens.append(("op", char, pos))
            pos += 1
            continue
        raise FormulaError(f"unexpected character {char!r} at position {pos + 1}")
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise FormulaError("the formula ends too early")
        if value is not None and token[1] != value:
            raise FormulaError(f"expected {value!r} at position {token[2] + 1}, got {token[1]!r}")
        self.i += 1
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in values

    def parse(self) -> Node:
        node = self.expr()
        token = self.peek()
        if token is not None:
            raise FormulaError(f"unexpected {token[1]!r} at position {token[2] + 1}")
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("the formula is nested too deeply")
        node = self.term()
        while self.at("+", "-"):
            op = self.take()[1]
            node = ["bin", op, node, self.term()]
        self.depth -= 1
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("*", "/", "%"):
            op = self.take()[1]
            node = ["bin", op, node, self.unary()]
        return node

    def unary(self) -> Node:
        if self.at("-", "+"):
            op = self.take()[1]
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError("the formula is nested too deeply")
            operand = self.unary()
            self.depth -= 1
            return ["neg", operand] if op == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("^"):
            self.take()
            return ["bin", "^", base, self.unary()]
        return base

    def atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return ["num", float(value)]
        if kind == "name":
            if self.at("("):
                if value not in FUNCTIONS:
                    raise FormulaError(
                        f"unknown function {value!r} at position {pos + 1}; "
                        f"allowed: {', '.join(sorted(FUNCTIONS))}"
                    )
                self.take("(")
                args = [self.expr()]
                while self.at(","):
                    self.take()
                    args.append(self.expr())
                self.take(")")
                low, high = FUNCTIONS[value]
                if not low <= len(args) <= high:
                    raise FormulaError(f"{value}() takes {low}-{high} arguments, got {len(args)}")
                return ["call", value, args]
            if value in CONSTANTS:
                return ["num", CONSTANTS[value]]
            return ["var", value]
        if value == "(":
            node = self.expr()
            self.take(")")
            return node
        raise FormulaError(f"unexpected {value!r} at position {pos + 1}")


def parse_formula(text: str) -> Node:
    """Parse a formula into its JSON tree, or raise FormulaError saying what is wrong."""
    if not text or not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_LENGTH} characters")
    return _Parser(text).parse()


def formula_variables(node: Node) -> set[str]:
    """The names a parsed formula reads."""
    kind = node[0]
    if kind == "var":
        return {node[1]}
    if kind == "neg":
        return formula_variables(node[1])
    if kind == "bin":
        return formula_variables(node[2]) | formula_variables(node[3])
    if kind == "call":
        return set().union(*(formula_variables(arg) for arg in node[2]))
    return set()


def _round_half_up(value: float, digits: float = 0) -> float:
    # JavaScript's Math.round rounds halves up; the page and Python must agree.
    factor = 10 ** int(digits)
    return math.floor(value * factor + 0.5) / factor


def _div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * (math.copysign(1, b))
    return a / b


def _safe(fn, *args: float) -> float:
    try:
        return float(fn(*args))
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan


_PY_FUNCTIONS = {
    "min": lambda *a: min(a),
    "max": lambda *a: max(a),
    "round": _round_half_up,
    "floor": math.floor,
    "ceil": math.ceil,
    "abs": abs,
    "sqrt": math.sqrt,
    "pow": math.pow,
    "log": math.log,
    "log10": math.log10,
    "exp": math.exp,
}


def evaluate(node: Node, env: dict[str, float]) -> float:
    """The value of a parsed formula, with JavaScript's number semantics (NaN, not errors)."""
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "var":
        return float(env.get(node[1], math.nan))
    if kind == "neg":
        return -evaluate(node[1], env)
    if kind == "call":
        args = [evaluate(arg, env) for arg in node[2]]
        if any(math.isnan(arg) for arg in args):
            return math.nan
        return _safe(_PY_FUNCTIONS[node[1]], *args)
    op, a, b = node[1], evaluate(node[2], env), evaluate(node[3], env)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return _div(a, b)
    if op == "%":
        return _safe(math.fmod, a, b)
    return _safe(math.pow, a, b)


# The same semantics in the page: a tree walker, no eval.
JS_EVALUATOR = """
function evalFormula(n, env) {
  switch (n[0]) {
    case "num": return n[1];
    case "var": return Object.prototype.hasOwnProperty.call(env, n[1]) ? env[n[1]] : NaN;
    case "neg": return -evalFormula(n[1], env);
    case "call": {
      var a = n[2].map(function (x) { return evalFormula(x, env); });
      switch (n[1]) {
        case "min": return Math.min.apply(null, a);
        case "max": return Math.max.apply(null, a);
        case "round": { var f = Math.pow(10, Math.trunc(a.length > 1 ? a[1] : 0));
                        return Math.floor(a[0] * f + 0.5) / f; }
        case "floor": return Math.floor(a[0]);
        case "ceil": return Math.ceil(a[0]);
        case "abs": return Math.abs(a[0]);
        case "sqrt": return Math.sqrt(a[0]);
        case "pow": return Math.pow(a[0], a[1]);
        case "log": return Math.log(a[0]);
        case "log10": return Math.log10(a[0]);
        case "exp": return Math.exp(a[0]);
      }
      return NaN;
    }
    case "bin": {
      var x = evalFormula(n[2], env), y = evalFormula(n[3], env);
      switch (n[1]) {
        case "+": return x + y;
        case "-": return x - y;
        case "*": return x * y;
        case "/": return x / y;
        case "%": return x % y;
        case "^": return Math.pow(x, y);
      }
    }
  }
  return NaN;
}
"""
