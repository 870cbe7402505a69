from ninja import NinjaAPI

api = NinjaAPI(title="redchain API", version="1", urls_namespace="api")
