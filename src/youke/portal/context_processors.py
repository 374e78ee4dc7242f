def active_role(request):
    from youke.portal.roles import roles_context

    return roles_context(request)
