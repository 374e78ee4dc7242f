"""Pages every signed-in person has: log-in, password, role switch, dashboard, catalog."""

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns import rules as campaign_rules
from youke.core.actor import Actor, client_ip
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.domain import login as login_guard
from youke.orgs.domain import people as people_domain
from youke.portal import dashboard
from youke.portal.dashboard.charts import chart_data
from youke.portal.forms import LoginForm, PasswordChangeForm
from youke.portal.roles import SESSION_KEY, active_choice, role_choices


def home(request):
    return redirect("portal:dashboard" if request.user.is_authenticated else "portal:login")


def login_view(request):
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["login"]
        ip = client_ip(request)
        if login_guard.is_locked(login, ip):
            error = _(
                "登录失败次数过多，账号已暂时锁定。请 %(m)s 分钟后再试，或联系单位管理员重置密码。"
            ) % {"m": login_guard.lock_minutes()}
        else:
            person = authenticate(request, username=login, password=form.cleaned_data["password"])
            if person is None:
                login_guard.register_failure(login, ip)
                error = _("用户名/手机号或密码不正确，请重新输入。忘记密码请联系本单位管理员重置。")
            else:
                login_guard.clear_failures(login)
                auth_login(request, person)
                record(Actor(person, ip), AuditAction.LOGIN, person, unit=person.unit)
                target = request.GET.get("next", "")
                if url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    return HttpResponseRedirect(target)
                return redirect("portal:dashboard")
    return render(request, "portal/login.html", {"form": form, "error": error}, status=200)


@require_POST
def logout_view(request):
    auth_logout(request)
    return redirect("portal:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_domain.change_own_password(
                Actor.from_request(request),
                request.user,
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field, message)
        else:
            from django.contrib import messages as flash
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            flash.success(request, _("密码已修改。"))
            return redirect("portal:dashboard")
    return render(request, "portal/password_change.html", {"form": form})


@login_required
@require_POST
def switch_role(request):
    key = request.POST.get("role", "")
    if key not in {choice.key for choice in role_choices(request.user)}:
        raise Http404("role")
    request.session[SESSION_KEY] = key
    return redirect("portal:dashboard")


@login_required
def dashboard_view(request):
    active = active_choice(request)
    context = dashboard.build(request.user, active, campaign_id=request.GET.get("campaign", ""))
    return render(request, "portal/dashboard.html", context)


@login_required
def dashboard_charts(request):
    """Chart data of the admin dashboard: progress per child unit of one campaign."""
    raw_campaign, raw_unit = request.GET.get("campaign", ""), request.GET.get("unit", "")
    if not (raw_campaign.isdigit() and raw_unit.isdigit()):
        raise Http404("campaign or unit")
    campaign = (
        campaign_rules.campaigns_visible_to(request.user).filter(pk=int(raw_campaign)).first()
    )
    if campaign is None:
        raise Http404("campaign")
    unit = access_unit(request.user, int(raw_unit))
    if not org_rules.covers(request.user, unit):  # people see their own unit, admins count it
        raise Http404("unit")
    return JsonResponse(chart_data(request.user, campaign, unit))
