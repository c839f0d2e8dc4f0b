from ninja import NinjaAPI

api = NinjaAPI(title="Quartiers 4.0 API", version="1.0.0", urls_namespace="api")
