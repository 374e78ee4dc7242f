"""The course catalog: everyone signed in reads it; only national admins change it."""

from ninja import Query, Router, Status

from youke.api.common import access_catalog_node, actor, changes, paginated, viewer, with_parent_pk
from youke.api.schemas import (
    ErrorOut,
    NodeCreateIn,
    NodeDetailOut,
    NodeFilters,
    NodeOut,
    NodeUpdateIn,
    ValidationErrorOut,
)
from youke.catalog import rules
from youke.catalog.domain import nodes as node_domain
from youke.catalog.models import CourseNode

router = Router(tags=["catalog"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _detail(node: CourseNode) -> CourseNode:
    node.ancestors = node_domain.trail(node, node_domain.ancestors_by_path([node]))
    return node


@router.get(
    "/catalog/nodes",
    response={200: list[NodeOut], 404: ErrorOut},  # 404: parent_id missing or not visible
    operation_id="list_catalog_nodes",
)
@paginated
def list_catalog_nodes(request, filters: Query[NodeFilters]):
    """Children of ``parent_id``; without it the stages, unless q or level searches the tree."""
    nodes = rules.nodes_visible_to(viewer(request))
    if filters.parent_id is not None:
        parent = access_catalog_node(viewer(request), filters.parent_id)
        nodes = nodes.filter(path__under=parent.path, depth=parent.depth + 1)
    elif not (filters.q or filters.level):
        nodes = nodes.filter(depth=1)
    if filters.level:
        nodes = nodes.filter(level=filters.level)
    if filters.q:
        nodes = node_domain.search_nodes(nodes, filters.q)
    return with_parent_pk(nodes.order_by("path"))


@router.get(
    "/catalog/nodes/{node_id}",
    response={200: NodeDetailOut, 404: ErrorOut},
    operation_id="get_catalog_node",
)
def get_catalog_node(request, node_id: int):
    return _detail(access_catalog_node(viewer(request), node_id))


@router.post(
    "/catalog/nodes",
    response={201: NodeDetailOut, **WRITE_ERRORS},
    operation_id="create_catalog_node",
)
def create_catalog_node(request, payload: NodeCreateIn):
    parent = None
    if payload.parent_id is not None:
        parent = access_catalog_node(viewer(request), payload.parent_id)
    node = node_domain.create_node(actor(request), parent, code=payload.code, name=payload.name)
    return Status(201, _detail(node))


@router.patch(
    "/catalog/nodes/{node_id}",
    response={200: NodeDetailOut, **WRITE_ERRORS},
    operation_id="update_catalog_node",
)
def update_catalog_node(request, node_id: int, payload: NodeUpdateIn):
    node = access_catalog_node(viewer(request), node_id)
    fields = changes(payload, required=("code", "name", "is_active"))
    return _detail(node_domain.update_node(actor(request), node, **fields))
