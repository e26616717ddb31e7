app_name = "reviewanalysis"

urlpatterns: list = []
