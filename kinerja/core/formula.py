"""The formula language of formula indicators (issue 3), e.g. ``{IKU-01} / {IKU-02} * 100``.

A formula is read by a real LALR parser (Lark) and evaluated with :class:`decimal.Decimal`;
the text is never handed to Python's ``eval``, ``exec``, ``compile`` or ``ast``.

The language
    - numbers: ``12``, ``0.5`` (ASCII digits, a dot for decimals, no exponent);
    - ``+ - * /``, unary ``-`` and ``+``, parentheses; ``* /`` bind tighter than ``+ -``, all
      left-associative (``8 / 4 / 2`` is 1);
    - references to other indicators: ``{CODE}``, CODE being 1–40 of ``A-Z a-z 0-9 . _ -``.
      Codes are stored upper-case in Kinerja, so a reference is normalised to upper case
      (``{iku-01}`` means IKU-01); spaces just inside the braces are dropped;
    - ``min(a, b, ...)`` and ``max(a, b, ...)`` with one or more values;
      ``if(condition, when_true, when_false)`` with exactly three. A condition is a comparison
      (``< <= > >= == !=``), or comparisons joined by ``and``, ``or``, ``not`` and
      parentheses. Comparisons are allowed only there: a formula whose value is a comparison is
      refused. Function names and ``and``/``or``/``not`` are case-insensitive (``MIN`` as in a
      spreadsheet);
    - whitespace anywhere; at most ``MAX_LENGTH`` (500) characters and ``MAX_DEPTH`` (30)
      levels of parentheses and function calls.

The API
    ``parse(text) -> Formula`` parses once, or raises :class:`FormulaError`.
    ``Formula.text`` (as given), ``Formula.references`` (frozenset of upper-case codes),
    ``Formula.evaluate(values) -> Decimal | None``: ``values`` maps upper-case codes to
    ``Decimal`` or ``None``. The result is ``None`` ("not measurable") when a reference the
    evaluation needs is absent or ``None``, or on a division by zero. ``if()`` evaluates only
    the branch it takes, and ``and``/``or`` stop as soon as the answer is known, so
    ``if({B} == 0, 0, {A} / {B})`` is 0 when B is 0. Arithmetic uses 28 significant digits
    and is not quantized.
    ``find_cycle(graph, start) -> list[str] | None``: a path ``[start, ..., start]`` through
    the references graph, or None.
    ``check_references(formula, known)`` and ``check_no_cycle(code, formula, graph)`` raise
    :class:`FormulaError` for save-time validation.
    ``normalize_code(code)`` is the normalisation applied to references.

``FormulaError.message`` is translated and user-facing; ``FormulaError.position`` is the 0-based
offset in the text, or None. Messages count positions from 1, as people do, so the character
at ``position`` 6 is "position 7" in the message; where the formula ends too early, the
position is just past its last character, and the message names that character.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

from django.utils.translation import gettext as _
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

MAX_LENGTH = 500
MAX_DEPTH = 30
CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
CODE_MAX_LENGTH = 40

# Enough digits for money and percentages; the traps turn anything odd into "not measurable".
_CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# Sums, products, signs and "not" are flat lists (not nested rules), so that the depth of the
# result is bounded by the nesting of parentheses and calls, which the pre-scan limits.
# REF takes anything between braces, so that a bad code gets its own precise message.
GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (OR conjunction)*
?conjunction: negation (AND negation)*
?negation: comparison
    | NOT+ comparison -> negated
?comparison: sum
    | sum COMPARE sum -> compare
?sum: product ((PLUS | MINUS) product)*
?product: unary ((STAR | SLASH) unary)*
?unary: atom
    | (PLUS | MINUS)+ atom -> signed
?atom: NUMBER -> number
    | REF -> reference
    | NAME -> name
    | NAME "(" [arguments] ")" -> call
    | "(" disjunction ")"
arguments: disjunction ("," disjunction)*

OR: "or"i
AND: "and"i
NOT: "not"i
COMPARE: "<=" | ">=" | "==" | "!=" | "<" | ">"
PLUS: "+"
MINUS: "-"
STAR: "*"
SLASH: "/"
NUMBER: /[0-9]+(\.[0-9]+)?/
REF: /\{[^{}]*\}/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
%ignore /\s+/
"""


class FormulaError(ValueError):
    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class _NotMeasurable(Exception):
    pass


Values = Mapping[str, Decimal | None]
NUMBER, CONDITION = "number", "condition"
#: What a part computes: a number (a ``Decimal``) or a condition (a ``bool``).
R = TypeVar("R", Decimal, bool)


class _Part(Generic[R]):
    """A parsed piece: its kind, where it starts, the codes it uses and how to compute it
    (``_Part[Decimal]`` for a number, ``_Part[bool]`` for a condition)."""

    __slots__ = ("kind", "position", "references", "run")

    def __init__(
        self, kind: str, position: int, references: frozenset[str], run: Callable[[Values], R]
    ) -> None:
        self.kind = kind
        self.position = position
        self.references = references
        self.run: Callable[[Values], R] = run


def _at(token: Token) -> int:
    """Where ``token`` starts in the text (Lark's lexer sets it on every token it makes)."""
    if token.start_pos is None:  # pragma: no cover - only a token made by hand has none
        raise ValueError(f"token {token!r} has no position")
    return token.start_pos


def normalize_code(code: str) -> str:
    """Indicator codes are stored upper-case; ``{iku-01}`` refers to IKU-01."""
    return code.strip().upper()


def _comparisons_only_in_if(part: _Part[Any]) -> FormulaError:
    return FormulaError(
        _("Comparisons are only allowed as the condition of if() (position %(position)d).")
        % {"position": part.position + 1},
        part.position,
    )


def _numbers(parts: Iterable[_Part[Any]]) -> None:
    for part in parts:
        if part.kind != NUMBER:
            raise _comparisons_only_in_if(part)


def _conditions(parts: Iterable[_Part[Any]], keyword: Token) -> None:
    for part in parts:
        if part.kind != CONDITION:
            raise FormulaError(
                _(
                    "'%(keyword)s' at position %(position)d works on comparisons, "
                    "e.g. {A} > 0 and not {B} > 0."
                )
                % {"keyword": keyword.lower(), "position": _at(keyword) + 1},
                _at(keyword),
            )


def _references_of(parts: Iterable[_Part[Any]]) -> frozenset[str]:
    return frozenset().union(*(part.references for part in parts))


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise _NotMeasurable
    return a / b


_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": _divide}
_COMPARISONS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class _Build(Transformer[Token, _Part[Any]]):
    """Turns each reduction of the parser into a :class:`_Part` (applied while parsing)."""

    def number(self, children: list[Token]) -> _Part[Decimal]:
        (token,) = children
        value = Decimal(str(token))
        return _Part(NUMBER, _at(token), frozenset(), lambda values: value)

    def reference(self, children: list[Token]) -> _Part[Decimal]:
        (token,) = children
        inside = token[1:-1].strip()
        position = _at(token)
        if not inside:
            raise FormulaError(
                _("An indicator code is missing between the braces at position %(position)d.")
                % {"position": position + 1},
                position,
            )
        if len(inside) > CODE_MAX_LENGTH or not set(inside) <= CODE_CHARACTERS:
            raise FormulaError(
                _(
                    "'%(code)s' at position %(position)d is not an indicator code: use at most "
                    "40 letters, digits, dots, underscores and dashes."
                )
                % {"code": inside, "position": position + 1},
                position,
            )
        code = normalize_code(inside)

        def run(values: Values) -> Decimal:
            value = values.get(code)
            if value is None:
                raise _NotMeasurable
            value = value if isinstance(value, Decimal) else Decimal(str(value))
            if not value.is_finite():
                raise _NotMeasurable
            return value

        return _Part(NUMBER, position, frozenset({code}), run)

    def name(self, children: list[Token]) -> _Part[Decimal]:
        (token,) = children
        raise FormulaError(
            _(
                "Unknown name '%(name)s' at position %(position)d; write indicator codes in "
                "braces, e.g. {%(name)s}."
            )
            % {"name": token, "position": _at(token) + 1},
            _at(token),
        )

    def arguments(self, children: list[_Part[Any]]) -> list[_Part[Any]]:
        return children

    def call(self, children: list[Any]) -> _Part[Decimal]:
        token, arguments = children
        arguments = arguments or []
        function = token.lower()
        position = _at(token)
        if function == "if":
            if len(arguments) != 3:
                raise FormulaError(
                    _(
                        "if() needs 3 arguments: a condition, a value when true, "
                        "a value when false."
                    ),
                    position,
                )
            condition, when_true, when_false = arguments
            if condition.kind != CONDITION:
                raise FormulaError(
                    _(
                        "The first argument of if() at position %(position)d must be a "
                        "comparison, e.g. if({A} > 0, 1, 0)."
                    )
                    % {"position": condition.position + 1},
                    condition.position,
                )
            _numbers([when_true, when_false])

            def run_if(values: Values) -> Decimal:
                branch: _Part[Decimal] = when_true if condition.run(values) else when_false
                return branch.run(values)

            return _Part(NUMBER, position, _references_of(arguments), run_if)
        if function in ("min", "max"):
            if not arguments:
                raise FormulaError(
                    _("%(function)s() needs at least one value, e.g. %(function)s({A}, {B}).")
                    % {"function": function},
                    position,
                )
            _numbers(arguments)
            pick = min if function == "min" else max
            runs = [argument.run for argument in arguments]
            return _Part(
                NUMBER,
                position,
                _references_of(arguments),
                lambda values: pick(run(values) for run in runs),
            )
        raise FormulaError(
            _("Unknown function '%(name)s'; use min, max or if.") % {"name": token},
            position,
        )

    def signed(self, children: list[Any]) -> _Part[Decimal]:
        *signs, part = children
        _numbers([part])
        run = part.run
        if sum(sign == "-" for sign in signs) % 2:
            return _Part(NUMBER, _at(signs[0]), part.references, lambda values: -run(values))
        return _Part(NUMBER, _at(signs[0]), part.references, lambda values: +run(values))

    def _arithmetic(self, children: list[Any]) -> _Part[Decimal]:
        first, rest = children[0], list(zip(children[1::2], children[2::2], strict=True))
        _numbers([first, *(part for _sign, part in rest)])
        steps = [(_OPERATORS[str(sign)], part.run) for sign, part in rest]

        def run(values: Values) -> Decimal:
            result: Decimal = first.run(values)
            for combine, operand in steps:
                result = combine(result, operand(values))
            return result

        return _Part(NUMBER, first.position, _references_of(children[::2]), run)

    sum = product = _arithmetic

    def compare(self, children: list[Any]) -> _Part[bool]:
        left, sign, right = children
        _numbers([left, right])
        test = _COMPARISONS[str(sign)]
        return _Part(
            CONDITION,
            _at(sign),
            _references_of([left, right]),
            lambda values: test(left.run(values), right.run(values)),
        )

    def negated(self, children: list[Any]) -> _Part[bool]:
        *nots, part = children
        _conditions([part], nots[-1])
        odd = len(nots) % 2 == 1
        return _Part(
            CONDITION,
            _at(nots[0]),
            part.references,
            lambda values: part.run(values) != odd,
        )

    def _joined(self, children: list[Any]) -> _Part[bool]:
        parts, keyword = children[::2], children[1]
        _conditions(parts, keyword)
        runs = [part.run for part in parts]
        # all()/any() over a generator stop early, like Python's and/or.
        join = all if keyword.lower() == "and" else any
        return _Part(
            CONDITION,
            _at(keyword),
            _references_of(parts),
            lambda values: join(run(values) for run in runs),
        )

    conjunction = disjunction = _joined


_PARSER = Lark(GRAMMAR, parser="lalr", transformer=_Build())


class Formula:
    """A parsed formula; build it with :func:`parse`."""

    __slots__ = ("_positions", "_run", "references", "text")

    def __init__(self, text: str, part: _Part[Decimal], positions: Mapping[str, int]) -> None:
        self.text = text
        self.references: frozenset[str] = part.references
        self._run = part.run
        self._positions = positions

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def evaluate(self, values: Values) -> Decimal | None:
        """The value, or None when it is not measurable (see the module's docstring)."""
        try:
            with decimal.localcontext(_CONTEXT):
                return self._run(values)
        except (_NotMeasurable, decimal.DecimalException):
            return None

    def position_of(self, code: str) -> int | None:
        """Where a reference to ``code`` first appears in the text."""
        return self._positions.get(normalize_code(code))


def _prescan(text: str) -> None:
    """Parentheses: balanced, and no deeper than MAX_DEPTH (the parser itself has no limit)."""
    opened: list[int] = []
    for position, char in enumerate(text):
        if char == "(":
            opened.append(position)
            if len(opened) > MAX_DEPTH:
                raise FormulaError(
                    _(
                        "The formula nests parentheses and functions more than %(depth)d "
                        "levels deep (position %(position)d)."
                    )
                    % {"depth": MAX_DEPTH, "position": position + 1},
                    position,
                )
        elif char == ")":
            if not opened:
                raise FormulaError(
                    _("Unbalanced parentheses: the ')' at position %(position)d closes nothing.")
                    % {"position": position + 1},
                    position,
                )
            opened.pop()
    if opened:
        raise FormulaError(
            _("Unbalanced parentheses: the '(' at position %(position)d is never closed.")
            % {"position": opened[-1] + 1},
            opened[-1],
        )


def _syntax_error(text: str, error: Exception) -> FormulaError:
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END"):
        end = len(text.rstrip())
        return FormulaError(
            _(
                "The formula ends too early: something is missing after '%(char)s' at "
                "position %(position)d."
            )
            % {"char": text[end - 1], "position": end},
            end,
        )
    if isinstance(error, UnexpectedCharacters):
        # Lark sets where the lexer stopped, but declares the attribute as None on the base.
        position, char = cast(int, error.pos_in_stream), error.char
        if char == "{":
            message = _("The '{' at position %(position)d is not closed by '}'.")
        elif char == "=":
            message = _("Unexpected character '=' at position %(position)d; compare with ==.")
        else:
            message = _("Unexpected character '%(char)s' at position %(position)d.")
        return FormulaError(message % {"char": char, "position": position + 1}, position)
    assert isinstance(error, UnexpectedToken)  # noqa: S101 - the three kinds Lark raises
    token = error.token
    position = _at(token)
    if "PLUS" in error.expected and token.type in ("NUMBER", "REF", "NAME", "LPAR"):
        message = _(
            "Unexpected '%(token)s' at position %(position)d; an operator such as + or * "
            "is missing before it."
        )
    else:
        message = _("Unexpected '%(token)s' at position %(position)d.")
    return FormulaError(message % {"token": token, "position": position + 1}, position)


def parse(text: str) -> Formula:
    """Read a formula, or raise :class:`FormulaError` saying what is wrong and where."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            _("The formula is longer than %(limit)d characters.") % {"limit": MAX_LENGTH}
        )
    if not text.strip():
        raise FormulaError(_("The formula is empty."))
    _prescan(text)
    try:
        # The transformer runs while parsing: the result is its part, not a tree.
        part = cast(_Part[Any], _PARSER.parse(text))
    except (UnexpectedCharacters, UnexpectedToken, UnexpectedEOF) as error:
        raise _syntax_error(text, error) from None
    if part.kind != NUMBER:
        raise _comparisons_only_in_if(part)
    positions: dict[str, int] = {}
    for token in _PARSER.lex(text):
        if token.type == "REF":
            positions.setdefault(normalize_code(token[1:-1]), _at(token))
    return Formula(text, part, positions)


def check_references(formula: Formula, known: Iterable[str]) -> None:
    """Refuse the first (in sorted order) reference to a code that is not in ``known``."""
    known_codes = {normalize_code(code) for code in known}
    for code in sorted(formula.references - known_codes):
        raise FormulaError(
            _("Unknown indicator code %(code)s.") % {"code": code},
            formula.position_of(code),
        )


def find_cycle(graph: Mapping[str, Iterable[str]], start: str) -> list[str] | None:
    """A path of references that leads from ``start`` back to it, e.g. ``["A", "B", "A"]``.

    ``graph`` maps each code to the codes its formula refers to (codes absent from it refer to
    nothing). Cycles that do not pass through ``start`` are not reported. Depth-first with an
    explicit stack, so that a chain of any length is fine.
    """
    path = [start]
    pending = [iter(graph.get(start, ()))]
    seen = {start}
    while pending:
        for code in pending[-1]:
            if code == start:
                return [*path, start]
            if code not in seen:
                seen.add(code)
                path.append(code)
                pending.append(iter(graph.get(code, ())))
                break
        else:
            pending.pop()
            path.pop()
    return None


def check_no_cycle(code: str, formula: Formula, graph: Mapping[str, Iterable[str]]) -> None:
    """Refuse ``formula`` as the formula of ``code`` if it leads back to ``code``.

    ``graph`` holds the references of the other formula indicators; this formula's own
    references replace whatever ``graph`` says about ``code``.
    """
    code = normalize_code(code)
    cycle = find_cycle({**graph, code: formula.references}, code)
    if cycle is not None:
        raise FormulaError(
            _("The formula refers back to %(code)s: %(cycle)s.")
            % {"code": code, "cycle": " → ".join(cycle)},
            formula.position_of(cycle[1]),
        )
