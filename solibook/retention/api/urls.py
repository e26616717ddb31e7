app_name = "retention_api"

urlpatterns: list = []
