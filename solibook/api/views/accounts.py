from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from solibook.accounts import services
from solibook.api.serializers import ProfileIn, RegisterIn, UserOut


class AuthThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainApi(AuthThrottleMixin, jwt_views.TokenObtainPairView):
    """Exchange e-mail and password for an access and a refresh token."""


class TokenRefreshApi(AuthThrottleMixin, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is revoked."""


class TokenVerifyApi(AuthThrottleMixin, jwt_views.TokenVerifyView):
    """Check that a token is valid."""


class RegisterApi(AuthThrottleMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RegisterIn, responses={201: UserOut}, summary="Create a client account")
    def post(self, request):
        data = RegisterIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data, base_url=request.build_absolute_uri("/")[:-1])
        return Response(UserOut(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserOut, summary="The signed-in user's profile")
    def get(self, request):
        return Response(UserOut(request.user).data)

    @extend_schema(request=ProfileIn, responses=UserOut, summary="Change the signed-in user's profile")
    def patch(self, request):
        data = ProfileIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **data.validated_data)
        return Response(UserOut(user).data)
