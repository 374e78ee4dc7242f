from ninja import NinjaAPI

from youke.api.auth import AUTH
from youke.api.common import install_error_handlers
from youke.api.routers import catalog, health, people, roles, units

api = NinjaAPI(
    title="youke API",
    version="1",
    description="优课平台接口：单位、人员、角色、课程目录。所有列表按调用者的管理范围过滤。",
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", health.router)
api.add_router("", units.router)
api.add_router("", people.router)
api.add_router("", roles.router)
api.add_router("", catalog.router)
