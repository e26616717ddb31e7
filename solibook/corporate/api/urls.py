app_name = "corporate_api"

urlpatterns: list = []
