app_name = "styleadvisor"

urlpatterns: list = []
