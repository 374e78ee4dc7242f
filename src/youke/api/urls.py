from ninja import NinjaAPI

from youke.api.auth import AUTH
from youke.api.routers import health

api = NinjaAPI(
    title="youke API",
    version="1",
    description="优课平台接口：单位、人员、角色、课程目录。所有列表按调用者的管理范围过滤。",
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("", health.router)
