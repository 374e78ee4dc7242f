"""Browsing the course catalog: lazy tree and search by name or code."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from youke.catalog import rules
from youke.catalog.domain.nodes import ancestors_by_path, search_nodes, trail

SEARCH_LIMIT = 100


@login_required
def browse(request):
    nodes = rules.nodes_visible_to(request.user)
    term = request.GET.get("q", "").strip()
    context = {"term": term, "can_edit": rules.can_edit_catalog(request.user)}
    if term:
        found = list(search_nodes(nodes, term).order_by("path")[: SEARCH_LIMIT + 1])
        ancestors = ancestors_by_path(found[:SEARCH_LIMIT])
        context["results"] = [(node, trail(node, ancestors)) for node in found[:SEARCH_LIMIT]]
        context["truncated"] = len(found) > SEARCH_LIMIT
    else:
        context["roots"] = list(nodes.filter(depth=1).order_by("path"))
    return render(request, "portal/catalog.html", context)


@login_required
def children(request, node_id: int):
    node = rules.nodes_visible_to(request.user).filter(pk=node_id).first()
    if node is None:
        raise Http404("node")
    kids = list(
        rules.nodes_visible_to(request.user)
        .filter(path__under=node.path, depth=node.depth + 1)
        .order_by("path")
    )
    return render(request, "portal/_catalog_children.html", {"parent": node, "children": kids})
