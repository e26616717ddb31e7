app_name = "styleadvisor_api"

urlpatterns: list = []
