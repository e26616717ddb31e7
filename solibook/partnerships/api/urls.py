app_name = "partnerships_api"

urlpatterns: list = []
