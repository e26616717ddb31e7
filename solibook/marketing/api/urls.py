app_name = "marketing_api"

urlpatterns: list = []
