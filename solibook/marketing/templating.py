"""A campaign's words: the notifications' sandboxed template language (only
`if`, `firstof`, `comment`, `spaceless`, `now` and a few text filters, no
`load`/`include`, no attribute lookups), with the marketing variables below.

A template with an error is refused with the line it is on and what is wrong
(`TemplateProblem`); rendering is against a fixed context of plain strings,
so a template cannot reach the database or settings, whatever a salon types.
"""

from dataclasses import dataclass

from django.template import Context, Template, TemplateSyntaxError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.notifications.sandbox import SandboxEngine, variables_used

MAX_LENGTH = 5000

VARIABLES = {
    "client_name": gettext_lazy("the client's full name (may be empty)"),
    "first_name": gettext_lazy("the client's first name (may be empty)"),
    "salon": gettext_lazy("the salon's name"),
    "link": gettext_lazy("the tracked link to book (counts the click)"),
    "code": gettext_lazy("the client's own promo code (empty without one)"),
    "discount": gettext_lazy("the offer's discount, e.g. 15 %"),
    "service": gettext_lazy("the service the discount is for"),
    "valid_until": gettext_lazy("the last day of the offer"),
    "unsubscribe_link": gettext_lazy("the link to stop these messages"),
}
SAMPLE = {
    "client_name": "Camille Martin",
    "first_name": "Camille",
    "salon": "Salon",
    "link": "https://example.test/r/sample/",
    "code": "SPRING-7K2Q",
    "discount": "15 %",
    "service": "Balayage",
    "valid_until": "31.01",
    "unsubscribe_link": "https://example.test/u/sample/",
}

# debug=True: the parser records each token's line, which the salon needs to find an error.
_engine = SandboxEngine(
    libraries={}, loaders=[], autoescape=False, string_if_invalid="", debug=True
)


@dataclass(frozen=True)
class TemplateProblem(Exception):
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


def _line_of(source: str, exc: Exception) -> int:
    debug = getattr(exc, "template_debug", None)
    if debug and debug.get("line"):
        return int(debug["line"])
    return 1


def compile_text(source: str) -> Template:
    """The compiled template, or TemplateProblem with its line."""
    if len(source) > MAX_LENGTH:
        raise TemplateProblem(
            1, _("A template may be at most %(max)d characters long.") % {"max": MAX_LENGTH}
        )
    try:
        template = Template(source, engine=_engine)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(_line_of(source, exc), str(exc)) from exc
    except Exception as exc:  # the parser trips on odd input in other ways too
        raise TemplateProblem(1, f"{type(exc).__name__}: {exc}") from exc
    for node, name in variables_used(template):
        if name not in VARIABLES:
            token = getattr(node, "token", None)
            line = getattr(token, "lineno", 1) or 1
            raise TemplateProblem(
                line,
                _("Unknown variable “%(name)s”. Use one of: %(names)s.")
                % {"name": name, "names": ", ".join(VARIABLES)},
            )
    return template


def render(source: str, values: dict, compiled: dict | None = None) -> str:
    """Render against the fixed context; `compiled` caches templates by source."""
    template = compiled.get(source) if compiled is not None else None
    if template is None:
        template = compile_text(source)
        if compiled is not None:
            compiled[source] = template
    context = {name: str(values.get(name) or "") for name in VARIABLES}
    try:
        return template.render(Context(context, autoescape=False))
    except TemplateProblem:
        raise
    except Exception as exc:
        raise TemplateProblem(1, f"{type(exc).__name__}: {exc}") from exc


def problem(source: str) -> TemplateProblem | None:
    """None when the template compiles and renders on sample values."""
    try:
        render(source, SAMPLE)
    except TemplateProblem as exc:
        return exc
    return None
