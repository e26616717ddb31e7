app_name = "recommendations_api"

urlpatterns: list = []
