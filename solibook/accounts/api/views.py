from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from solibook.accounts import services, twofactor
from solibook.accounts.api.serializers import ProfileIn, RegisterIn, UserOut
from solibook.accounts.jwt import REVOKED_MESSAGE, issued_before_revocation, token_for
from solibook.accounts.lockout import lockout_message
from solibook.accounts.models import User


class AuthThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainIn(TokenObtainPairSerializer):
    """E-mail and password; plus `otp` (a TOTP or recovery code) for a user
    who set up two-factor authentication. Owners and managers need it for
    tokens that open the back-office endpoints (when REQUIRE_2FA is on)."""

    otp = serializers.CharField(required=False, allow_blank=True, max_length=16, write_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        try:
            super().validate(attrs)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=lockout_message()) from None
            raise
        user = self.user
        verified = False
        if twofactor.has_totp(user):
            code = attrs.get("otp") or ""
            if not code:
                raise twofactor.code_missing_error()
            if twofactor.check_code(user=user, code=code) is None:
                raise twofactor.code_invalid_error()
            verified = True
        refresh = token_for(user, otp_verified=verified)
        services.login_record(
            user=user, via="api", ip=request.META.get("REMOTE_ADDR", ""), two_factor=verified
        )
        return {"refresh": str(refresh), "access": str(refresh.access_token)}


class TokenPairOut(serializers.Serializer):
    refresh = serializers.CharField()
    access = serializers.CharField()


class TokenObtainApi(AuthThrottleMixin, jwt_views.TokenObtainPairView):
    """Exchange e-mail and password (and a TOTP code when two-factor is set up) for an access and a refresh token."""

    serializer_class = TokenObtainIn

    @extend_schema(
        request=TokenObtainIn, responses={200: TokenPairOut}, summary="Obtain API tokens"
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenRefreshIn(TokenRefreshSerializer):
    def validate(self, attrs):
        token = RefreshToken(attrs["refresh"])
        user = User.objects.filter(pk=token.get("user_id"), is_active=True).first()
        if user is None or issued_before_revocation(user, token):
            raise AuthenticationFailed(REVOKED_MESSAGE, code="token_revoked")
        return super().validate(attrs)


class TokenRefreshApi(AuthThrottleMixin, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is revoked."""

    serializer_class = TokenRefreshIn


class TokenVerifyApi(AuthThrottleMixin, jwt_views.TokenVerifyView):
    """Check that a token is valid."""


class RegisterApi(AuthThrottleMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RegisterIn, responses={201: UserOut}, summary="Create a client account")
    def post(self, request):
        data = RegisterIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(
            **data.validated_data, base_url=request.build_absolute_uri("/")[:-1]
        )
        return Response(UserOut(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserOut, summary="The signed-in user's profile")
    def get(self, request):
        return Response(UserOut(request.user).data)

    @extend_schema(
        request=ProfileIn, responses=UserOut, summary="Change the signed-in user's profile"
    )
    def patch(self, request):
        data = ProfileIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **data.validated_data)
        return Response(UserOut(user).data)


# --- two-factor authentication ---------------------------------------------------
class TwoFactorStatusOut(serializers.Serializer):
    enrolled = serializers.BooleanField()
    verified = serializers.BooleanField(help_text="This token or session passed the second factor.")
    required = serializers.BooleanField(
        help_text="Owners and managers need it for back-office endpoints."
    )
    recovery_codes_left = serializers.IntegerField()


class TotpSetupOut(serializers.Serializer):
    secret = serializers.CharField(help_text="Base32 key to type into an authenticator app.")
    otpauth_uri = serializers.CharField()
    qr_svg = serializers.CharField(help_text="The otpauth URI as an SVG data URI.")


class CodeIn(serializers.Serializer):
    code = serializers.CharField(max_length=16)


class RecoveryCodesOut(serializers.Serializer):
    recovery_codes = serializers.ListField(child=serializers.CharField())


def _status(user) -> dict:
    return {
        "enrolled": twofactor.has_totp(user),
        "verified": twofactor.is_verified(user),
        "required": twofactor.required_for_user(user),
        "recovery_codes_left": twofactor.recovery_codes_left(user),
    }


def _refuse_unverified_change(user) -> None:
    if twofactor.has_totp(user) and not twofactor.is_verified(user):
        raise twofactor.verify_first_error()


class TwoFactorApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TwoFactorStatusOut, summary="Two-factor authentication status")
    def get(self, request):
        return Response(_status(request.user))


class TotpSetupApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={201: TotpSetupOut}, summary="Start setting up an authenticator app"
    )
    def post(self, request):
        _refuse_unverified_change(request.user)
        device = twofactor.totp_enrol_start(user=request.user)
        return Response(
            {
                "secret": twofactor.totp_secret(device),
                "otpauth_uri": device.config_url,
                "qr_svg": twofactor.totp_qr_svg(device),
            },
            status=status.HTTP_201_CREATED,
        )


class TotpConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CodeIn,
        responses={200: RecoveryCodesOut},
        summary="Confirm the authenticator app; get recovery codes (shown once)",
    )
    def post(self, request):
        _refuse_unverified_change(request.user)
        data = CodeIn(data=request.data)
        data.is_valid(raise_exception=True)
        codes = twofactor.totp_enrol_confirm(user=request.user, code=data.validated_data["code"])
        return Response({"recovery_codes": codes})


class RecoveryCodesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={200: RecoveryCodesOut}, summary="Replace the recovery codes"
    )
    def post(self, request):
        if not twofactor.is_verified(request.user):
            raise twofactor.verify_first_error()
        return Response({"recovery_codes": twofactor.recovery_codes_regenerate(user=request.user)})


class LogoutEverywhereApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None},
        summary="End every session and revoke every token of the user",
    )
    def post(self, request):
        services.user_logout_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
