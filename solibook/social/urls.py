app_name = "social"

urlpatterns: list = []
