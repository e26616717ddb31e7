app_name = "corporate"

urlpatterns: list = []
