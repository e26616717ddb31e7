"""The public page that states the commission rules."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from solibook.commissions.rules import rules


@require_safe
def rules_page(request):
    rule = rules()
    return render(
        request,
        "commissions/public/rules.html",
        {
            "rules": rule,
            "default_percent": rule.default_rate_bp / 100,
            "category_percents": {k: v / 100 for k, v in rule.category_rates_bp.items()},
        },
    )
