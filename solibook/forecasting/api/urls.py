app_name = "forecasting_api"

urlpatterns: list = []
