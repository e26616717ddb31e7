app_name = "social_api"

urlpatterns: list = []
