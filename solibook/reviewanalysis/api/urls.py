app_name = "reviewanalysis_api"

urlpatterns: list = []
