"""Salon-editable message templates: Django template syntax, sandboxed.

A salon's template is compiled by an engine that knows only a few harmless
tags (`if`, `firstof`, `comment`, `spaceless`, `now`) and text filters, no
`{% load %}`, no `{% include %}` or `{% extends %}`, no loaders; it may name
only the variables of `VARIABLES` (plain strings, no attribute lookups), and
it renders against a fixed context of those strings. So a template cannot
reach the database, the file system or settings, whatever a salon types.
"""

from functools import lru_cache

from django.template import (
    Context,
    Engine,
    Library,
    Node,
    Template,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, Variable
from django.template.defaulttags import FirstOfNode, IfNode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_LENGTH = 5000

# The variables a template may use, with what each holds (shown on the page).
VARIABLES = {
    "client_name": gettext_lazy("the client's name (may be empty)"),
    "salon": gettext_lazy("the salon's name"),
    "when": gettext_lazy("date and time of the visit, in the salon's time zone"),
    "where": gettext_lazy("the location's name and address"),
    "services": gettext_lazy("the services booked"),
    "masters": gettext_lazy("who does them"),
    "offer_expires": gettext_lazy("until when a waitlist offer is held"),
    "link": gettext_lazy("a link for the client: the salon's page, or where to leave a review"),
    "manage_link": gettext_lazy(
        "the client's own link to see, move, cancel or pay the visit (no account needed)"
    ),
}

register = Library()
for _name in ("if", "firstof", "comment", "spaceless", "now"):
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in (
    "default",
    "default_if_none",
    "upper",
    "lower",
    "title",
    "capfirst",
    "truncatechars",
    "truncatewords",
    "linebreaksbr",
    "striptags",
    "cut",
    "yesno",
    "length",
):
    register.filters[_name] = defaultfilters.register.filters[_name]


class SandboxEngine(Engine):
    default_builtins = ["solibook.notifications.sandbox"]


_engine = SandboxEngine(libraries={}, loaders=[], autoescape=False, string_if_invalid="")


def _expressions(node: Node):
    """Every FilterExpression a node evaluates (variables, if-conditions)."""
    if hasattr(node, "filter_expression"):
        yield node.filter_expression
    if isinstance(node, FirstOfNode):
        yield from node.vars
    if isinstance(node, IfNode):
        for condition, _nodelist in node.conditions_nodelists:
            stack = [condition]
            while stack:
                item = stack.pop()
                if item is None:
                    continue
                if hasattr(item, "value") and isinstance(item.value, FilterExpression):
                    yield item.value
                stack += [getattr(item, "first", None), getattr(item, "second", None)]


def _names(expression: FilterExpression):
    variables = [expression.var] + [
        arg for _func, args in expression.filters for _lookup, arg in args
    ]
    for variable in variables:
        if isinstance(variable, Variable) and variable.lookups is not None:
            yield ".".join(variable.lookups)


def variables_used(template: Template):
    """(node, dotted name) of every variable a compiled template reads: the check that a
    salon's (or a campaign's) template asks only for what its context offers."""
    for node in template.nodelist.get_nodes_by_type(Node):
        for expression in _expressions(node):
            for name in _names(expression):
                yield node, name


def compile_template(source: str) -> Template:
    """The compiled template, or TemplateSyntaxError with a message for the salon.
    Compiled once per text and process: the dispatcher renders the same few
    texts for every message of a batch (a failure is not remembered: its message
    is in the language of the moment)."""
    return _compiled(source)


@lru_cache(maxsize=1024)
def _compiled(source: str) -> Template:
    if len(source) > MAX_LENGTH:
        raise TemplateSyntaxError(
            _("A template may be at most %(max)d characters long.") % {"max": MAX_LENGTH}
        )
    try:
        template = Template(source, engine=_engine)
    except TemplateSyntaxError:
        raise
    except Exception as exc:  # the parser trips on odd input in other ways too (ValueError...)
        raise TemplateSyntaxError(f"{type(exc).__name__}: {exc}") from exc
    for _node, name in variables_used(template):
        if name not in VARIABLES:
            raise TemplateSyntaxError(
                _("Unknown variable “%(name)s”. Use one of: %(names)s.")
                % {"name": name, "names": ", ".join(VARIABLES)}
            )
    return template


def render(source: str, values: dict) -> str:
    """Render a template against the fixed context (missing values are empty).
    Any failure is a TemplateSyntaxError carrying the reason."""
    context = {name: str(values.get(name) or "") for name in VARIABLES}
    template = compile_template(source)
    try:
        return template.render(Context(context, autoescape=False))
    except TemplateSyntaxError:
        raise
    except Exception as exc:
        raise TemplateSyntaxError(f"{type(exc).__name__}: {exc}") from exc


SAMPLE = dict.fromkeys(VARIABLES, "x")


def check(source: str) -> str:
    """'' when the template compiles and renders, else the error to show."""
    try:
        render(source, SAMPLE)
    except TemplateSyntaxError as exc:
        return str(exc)
    return ""
