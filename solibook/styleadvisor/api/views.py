"""The style advisor for anyone (a listed salon): the same selectors as the page."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from solibook.styleadvisor.api.serializers import AdviceOut, QuestionnaireIn
from solibook.styleadvisor.selectors import advice, clean_answers, listed_business


class StyleAdvisorApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_search"

    @extend_schema(
        request=QuestionnaireIn,
        responses=AdviceOut,
        summary="Styles for a questionnaire and this salon's services that realise them",
        tags=["style advisor"],
    )
    def post(self, request, slug: str):
        business = listed_business(slug=slug)
        data = QuestionnaireIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = advice(business=business, answers=clean_answers(data.validated_data))
        language = get_language() or "en"
        book = reverse("clientarea:book", args=[business.slug])
        styles = [
            {
                "id": s.style.id,
                "name": s.style.name_in(language),
                "description": s.style.description_in(language),
                "picture_url": request.build_absolute_uri(static(s.style.picture)),
                "score": s.match.score,
                "reasons": list(s.match.reasons),
                "services": [
                    {
                        **vars(offer),
                        "book_url": request.build_absolute_uri(
                            f"{book}?{urlencode({'location': offer.location_id, 'service': offer.service_id})}"
                        ),
                    }
                    for offer in s.offers
                ],
            }
            for s in result.suggestions
        ]
        return Response(AdviceOut({"styles": styles, "notes": result.notes}).data)
