"""The roles matrix of every back-office page and API endpoint, read from
the code itself: `accounts/roles.py` (role -> capabilities) and, per URL,
the capability its view asks for (`backoffice_view(capability)` for pages,
`capability` / `capability_by_method` of `BusinessScopedMixin` for the API).

`docs/roles.md` is generated from it (`manage.py roles_doc`) and
`platform/tests/test_roles_matrix.py` checks both the document and the running
code: every role gets the documented answer (allowed, or 403) on every URL.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from solibook.accounts.roles import ROLE_CAPABILITIES, Capability, Role

HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Views whose decorator or mixin only asks for the back office, then admit
# either of several capabilities inside (declared here so the matrix is
# exact): the finance read pages and endpoints (the front desk takes
# payments, the accountant reads the books). A view may also declare its
# rule itself with an `access_any_of` attribute (a tuple of capabilities).
ANY_OF_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("office/<slug:business_slug>/finance/", ("take_payments", "view_finance")),
    ("api/v1/businesses/<id:business_id>/finance/", ("take_payments", "view_finance")),
]


@dataclass(frozen=True)
class Endpoint:
    route: str  # e.g. "office/<slug:business_slug>/clients/"
    name: str
    kind: str  # "page" or "api"
    method: str  # "GET", "POST", ... ("*" for a page: every method)
    capability: Capability | None  # None: the view checks access itself
    any_of: tuple[Capability, ...] = ()  # when set: any of these admits (see ANY_OF_RULES)

    @property
    def needs(self) -> tuple[Capability, ...]:
        return self.any_of or ((self.capability,) if self.capability else ())


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name or ''}", entry


def _page_capability(view) -> Capability | None:
    """The capability `backoffice_view` closed over, through other decorators."""
    seen = 0
    while view is not None and seen < 10:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, Capability):
                return value
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None


def _any_of(route: str, capability: Capability | None, declared) -> tuple[Capability, ...]:
    if declared:
        return tuple(Capability(c) for c in declared)
    if capability != Capability.VIEW_BACK_OFFICE:
        return ()
    for prefix, capabilities in ANY_OF_RULES:
        if prefix in route and all(c in Capability._value2member_map_ for c in capabilities):
            return tuple(Capability(c) for c in capabilities)
    return ()


def _declared(view) -> tuple | None:
    while view is not None:
        if getattr(view, "access_any_of", None):
            return view.access_any_of
        view = getattr(view, "__wrapped__", None)
    return None


def endpoints() -> list[Endpoint]:
    from solibook.api.scoping import BusinessScopedMixin

    found = []
    for route, name, pattern in _patterns():
        keys = set(pattern.pattern.converters)
        if not keys & {"business_id", "business_slug"}:
            continue
        route = route.replace("^", "").replace("$", "")
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None:
            methods = [m for m in HTTP_METHODS if hasattr(view_class, m)]
            for method in methods:
                capability = None
                if issubclass(view_class, BusinessScopedMixin):
                    capability = view_class.required_capability(view_class(), method.upper())
                declared = (getattr(view_class, "access_any_of_by_method", {}) or {}).get(
                    method.upper()
                )
                found.append(
                    Endpoint(
                        route,
                        name,
                        "api" if route.startswith("api/") else "page",
                        method.upper(),
                        capability,
                        _any_of(route, capability, declared),
                    )
                )
        else:
            capability = _page_capability(pattern.callback)
            found.append(
                Endpoint(
                    route,
                    name,
                    "page",
                    "*",
                    capability,
                    _any_of(route, capability, _declared(pattern.callback)),
                )
            )
    return sorted(found, key=lambda e: (e.kind, e.route, e.method))


def roles_with(needs: tuple[Capability, ...]) -> list[str]:
    """The roles that any of `needs` admits."""
    return [role.value for role in Role if any(c in ROLE_CAPABILITIES[role] for c in needs)]


def render_markdown() -> str:
    roles = list(Role)
    lines = [
        "# Roles: who may do what in the back office",
        "",
        "Generated from `solibook/accounts/roles.py` and the URL configuration by",
        "`python manage.py roles_doc`; `solibook/platform/tests/test_roles_matrix.py` checks",
        "that this file is current and that every role gets this answer from every page",
        "and API endpoint (allowed, or 403). A user who is not a member of the business",
        "gets 404 everywhere. Owners and managers see everything; a receptionist books",
        "and manages clients; a master sees their own calendar and what they need of",
        "their clients (a master's calendar, panel and client card show only their own",
        "clients, without contacts or money); an accountant sees finance only.",
        "",
        "Sensitive actions go to the audit log: client export and import, merge,",
        "erasure, consent changes, role changes, settings and branding, and opening",
        "a client card's allergies, notes or contacts (`client.viewed`, page or API).",
        "",
        "What a visit shows: `view_client_contacts` (the client's phone and e-mail) and",
        "`view_prices` (prices, deposits, what a client spent) are left out for a role",
        "without them (`accounts.roles.redact`: the calendar, its appointment panel, the",
        "appointments API). A master has neither: they see their clients' names, services",
        "and times, and on the card their allergies, notes and patch tests.",
        "",
        "## Capabilities of each role",
        "",
        "| capability | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for capability in Capability:
        lines.append(
            f"| `{capability.value}` | "
            + " | ".join("yes" if capability in ROLE_CAPABILITIES[r] else "—" for r in roles)
            + " |"
        )
    for kind, title in (("page", "Pages"), ("api", "API endpoints")):
        lines += [
            "",
            f"## {title}",
            "",
            "| method | path | capability | " + " | ".join(r.value for r in roles) + " |",
            "|---|---|---|" + "---|" * len(roles),
        ]
        for endpoint in endpoints():
            if endpoint.kind != kind:
                continue
            allowed = set(roles_with(endpoint.needs))
            cells = " | ".join(
                "yes" if r.value in allowed else ("403" if endpoint.needs else "public")
                for r in roles
            )
            capability = (
                " or ".join(f"`{c.value}`" for c in endpoint.needs)
                if endpoint.needs
                else "public (marketplace)"
            )
            lines.append(f"| {endpoint.method} | `/{endpoint.route}` | {capability} | {cells} |")
    return "\n".join(lines) + "\n"
