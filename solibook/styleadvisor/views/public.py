"""The style advisor, for anyone on a listed salon's page: a questionnaire (GET, so the
answers can be shared and nothing is written) and the matched styles with the salon's
services that realise them, each bookable in one click."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from solibook.core.errors import NotFound
from solibook.styleadvisor.forms import QuestionnaireForm
from solibook.styleadvisor.matching import Answers
from solibook.styleadvisor.presentation import reason_labels
from solibook.styleadvisor.selectors import advice, listed_business


def advisor(request, slug: str):
    try:
        business = listed_business(slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    asked = "submitted" in request.GET
    form = QuestionnaireForm(request.GET if asked else None)
    result = None
    if asked and form.is_valid():
        result = advice(business=business, answers=Answers(**form.cleaned_data))
    language = get_language() or "en"
    labels = reason_labels()
    cards = []
    for suggestion in result.suggestions if result else []:
        cards.append(
            {
                "id": suggestion.style.id,
                "name": suggestion.style.name_in(language),
                "description": suggestion.style.description_in(language),
                "picture": suggestion.style.picture,
                "reasons": [labels[r] for r in suggestion.match.reasons if r in labels],
                "offers": suggestion.offers,
            }
        )
    return render(
        request,
        "styleadvisor/public/advisor.html",
        {
            "business": business,
            "form": form,
            "result": result,
            "cards": cards,
            "status": 400 if asked and not form.is_valid() else 200,
        },
        status=400 if asked and not form.is_valid() else 200,
    )
