"""The public resource library: browse, search, lesson page, files, usage beacons, sitemap.

Every rule lives in ``youke.library.domain``; visibility is ``access_public_*`` (published
lessons only, 404 otherwise). The results and lesson fragments are cached under the library
version (bumped on publish, unpublish and counter flushes); pages answer 304 to a matching
ETag. The pages carry a CSRF token (language switch, likes), so they are ``private``; the
sitemap and the API read endpoints are ``public`` and may sit behind a CDN.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from youke.catalog.models import CourseNode
from youke.core.params import int_param
from youke.library.access import access_public_file, access_public_lesson
from youke.library.domain import (
    browse,
    cache_version,
    consent,
    courses,
    favourites,
    history,
    search,
    usage,
)
from youke.library.domain.highlight import highlight
from youke.library.domain.queries import Filters, node_filter, published_courses
from youke.library.enums import FileKind, ReportKind, SortOrder
from youke.library.models import LessonLike, LessonRating
from youke.media import serving
from youke.media.domain import playback
from youke.public import page_cache
from youke.public.library_player import lesson_media

FRAGMENT_SECONDS = 3600
VISITOR_COOKIE = "yk_visitor"
SORTS = [(s.value, s.label) for s in SortOrder]


def _int(raw) -> int | None:
    """A positive id, year or page from the query string; None for anything else."""
    return int_param(raw, minimum=1)


def parse_filters(params) -> tuple[Filters, CourseNode | None]:
    node = None
    node_id = _int(params.get("node"))
    if node_id:
        node = CourseNode.objects.filter(pk=node_id).first()
    award = params.get("award", "")
    fields = {
        "stage": _int(params.get("stage")),
        "subject": _int(params.get("subject")),
        "edition": _int(params.get("edition")),
        "volume": _int(params.get("volume")),
        "category": (params.get("category") or "")[:64],
        "award_level": award[:16] if award.isalnum() else "",
        "year": _int(params.get("year")),
    }
    fields.update(node_filter(node))
    return Filters(**fields), node


def _etag(request, *parts) -> str:
    text = "|".join(
        map(
            str,
            (
                cache_version.current(),
                request.get_full_path(),
                request.user.pk or 0,
                get_language(),
                *parts,
            ),
        )
    )
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _validated(request, etag: str):
    if len(messages.get_messages(request)):
        return None
    return get_conditional_response(request, etag=etag)


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _cached(key_parts, build, *, content_only: bool = False):
    """A rendered fragment (or computed value) under the library version; ``content_only``
    for what counter flushes do not change (filter menus, tree counts)."""
    version = cache_version.content() if content_only else cache_version.current()
    key = (
        "youke:library:fragment:"
        + hashlib.sha256(
            "|".join(map(str, (version, get_language(), *key_parts))).encode()
        ).hexdigest()
    )
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html


@require_safe
def library_index(request):
    """Browse by the catalog tree and filters, or search when ``q`` is given."""
    etag = _etag(request)
    unchanged = _validated(request, etag)
    if unchanged is not None:
        return _finish(unchanged, etag)
    query = (request.GET.get("q") or "").strip()[: search.MAX_QUERY]
    filters, node = parse_filters(request.GET)
    sort = request.GET.get("sort") or ("relevance" if query else "newest")
    if sort not in dict(SORTS) or (sort == "relevance" and not query):
        sort = "newest"
    number = browse.page_number(request.GET.get("page"))

    def build_results() -> str:
        if query:
            number_ = number
            found = search.search(
                query,
                filters,
                sort=sort,
                offset=(number_ - 1) * browse.PAGE_SIZE,
                limit=browse.PAGE_SIZE,
            )
            if not found.ids and found.total and number_ > 1:
                number_ = browse.clamp(number_, found.total)
                found = search.search(
                    query,
                    filters,
                    sort=sort,
                    offset=(number_ - 1) * browse.PAGE_SIZE,
                    limit=browse.PAGE_SIZE,
                )
            total = found.total
            pages = max(1, -(-min(total, browse.MAX_RESULTS) // browse.PAGE_SIZE))
            page = browse.Page(browse.load(found.ids), min(number_, pages), pages, total)
            terms = found.plan.highlight
            more = found.more
        else:
            page = browse.browse(filters, sort, number)
            terms, more = [], False
        cards = [
            {
                "lesson": lesson,
                "title": highlight(lesson.title, terms),
                "snippet": highlight(lesson.description[:120], terms),
            }
            for lesson in page.lessons
        ]

        def link(n: int) -> str:
            params = {k: v for k, v in request.GET.items() if k != "page"}
            return "?" + urlencode({**params, "page": n})

        return render_to_string(
            "public/library/_results.html",
            {
                "page": page,
                "cards": cards,
                "query": query,
                "more": more,
                "previous_url": link(page.number - 1) if page.has_previous else "",
                "next_url": link(page.number + 1) if page.has_next else "",
            },
        )

    params_key = sorted(request.GET.items())
    results_html = _cached(("results", params_key), build_results)
    tree_base = {k: v for k, v in request.GET.items() if k not in ("node", "page")}
    # The counts depend on the filters only (not on the query or sort): computed once per
    # publish; the links, which carry the visitor's other parameters, are rendered each time.
    counts = _cached(
        ("tree-counts", filters, node.path if node else ""),
        lambda: [
            {"node": row["node"], "count": row["count"]}
            for row in browse.node_counts(filters, node.path if node else "")
        ],
        content_only=True,
    )
    tree_html = render_to_string(
        "public/library/_tree.html",
        {"counts": counts, "trail": browse.trail(node.path if node else ""), "base": tree_base},
    )
    # The filter menus (hundreds of options) change only on publish and with the visitor's
    # own choices (the query box stays outside): rendering them was most of a page whose
    # results were cached.
    form_html = _cached(
        ("filters-form", bool(query), filters, sort, node.pk if node else 0),
        lambda: render_to_string(
            "public/library/_filters.html",
            {
                "query": bool(query),
                "filters": filters,
                "node": node,
                "sort": sort,
                "sorts": SORTS,
                "choices": _cached(("choices",), browse.choices, content_only=True),
            },
        ),
        content_only=True,
    )
    response = render(
        request,
        "public/library/index.html",
        {
            "query": query,
            "form_html": form_html,
            "results_html": results_html,
            "tree_html": tree_html,
            "params": request.GET,
        },
    )
    return _finish(response, etag)


def _visitor(request) -> tuple[str, str | None]:
    """Who counts as one visitor: the person, else a long-lived random cookie."""
    if request.user.is_authenticated:
        return f"p{request.user.pk}", None
    raw = request.COOKIES.get(VISITOR_COOKIE, "")
    if len(raw) == 32 and raw.isalnum():
        return f"c{raw}", None
    new = secrets.token_hex(16)
    return f"c{new}", new


@require_safe
def lesson_detail(request, lesson_id: int):
    lesson = access_public_lesson(lesson_id)
    etag = _etag(request, lesson.pk)
    unchanged = _validated(request, etag)
    if unchanged is not None:
        return _finish(unchanged, etag)
    person = request.user if request.user.is_authenticated else None
    can_download = person is not None or consent.downloads_open(lesson.campaign_id)
    own = {}
    if person is not None:
        own = {
            "liked": LessonLike.objects.filter(lesson=lesson, person=person).exists(),
            "favourite": favourites.is_favourite(person, lesson),
            "my_rating": LessonRating.objects.filter(lesson=lesson, person=person)
            .values_list("stars", flat=True)
            .first(),
        }
    share_url = settings.SITE_URL.rstrip("/") + reverse("library:lesson_detail", args=[lesson.pk])
    keep = page_cache.wants_store(request) and not len(messages.get_messages(request))
    related_html = _cached(
        ("related", lesson.pk),
        lambda: render_to_string(
            "public/library/_related.html", {"related": browse.related(lesson)}
        ),
    )
    course = None
    if lesson.course_id:
        course = published_courses().filter(pk=lesson.course_id).first()
    response = render(
        request,
        "public/library/lesson.html",
        {
            "lesson": lesson,
            "course": course,
            "course_steps": courses.neighbours(lesson) if course else {},
            **lesson_media(lesson, person),
            "can_download": can_download,
            "share_url": share_url,
            "related_html": related_html,
            "stars": range(1, 6),
            "report_kinds": ReportKind.choices,
            "report_kind": request.GET.get("report_kind", ""),
            "report_text": request.session.pop("library_report_text", "")
            if person is not None
            else "",
            **own,
            # A page kept for anonymous visitors holds a placeholder where the token goes.
            **({"csrf_token": page_cache.CSRF_PLACEHOLDER} if keep else {}),
        },
    )
    if keep:
        page_cache.store(request, response)
    return _finish(response, etag)


@require_safe
def lesson_qr(request, lesson_id: int):
    lesson = access_public_lesson(lesson_id)
    url = settings.SITE_URL.rstrip("/") + reverse("library:lesson_detail", args=[lesson.pk])
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgImage)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=86400)
    return response


@csrf_exempt  # posted from cached pages; it only adds to a deduplicated counter
@require_POST
def lesson_view(request, lesson_id: int):
    """The player's report of 10 s of playback."""
    lesson = access_public_lesson(lesson_id)
    visitor, new_cookie = _visitor(request)
    counted = usage.record_view(lesson.pk, visitor)
    response = JsonResponse({"counted": counted})
    if new_cookie:
        response.set_cookie(
            VISITOR_COOKIE,
            new_cookie,
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_required
@require_POST
def lesson_like(request, lesson_id: int):
    lesson = access_public_lesson(lesson_id)
    liked = usage.toggle_like(request.user, lesson)
    messages.success(request, _("已点赞。") if liked else _("已取消点赞。"))
    return redirect("library:lesson_detail", lesson.pk)


@login_required
@require_POST
def lesson_rate(request, lesson_id: int):
    lesson = access_public_lesson(lesson_id)
    try:
        usage.rate(request.user, lesson, request.POST.get("stars"))
        messages.success(request, _("评分已保存，谢谢！"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("library:lesson_detail", lesson.pk)


# --- files -------------------------------------------------------------------------------------


def _video(file_id: int):
    item = access_public_file(file_id)
    asset = getattr(item.upload, "asset", None)
    if item.kind != FileKind.VIDEO or asset is None:
        raise Http404("video")
    return item, asset


@require_safe
def file_play(request, file_id: int):
    item, asset = _video(file_id)
    if asset.rendition:
        return serving.serve(request, asset.rendition.name, content_type="video/mp4")
    return serving.serve(
        request, item.upload.storage_name, content_type=item.upload.content_type or None
    )


@require_safe
def file_hls(request, file_id: int, part: str):
    from youke.portal.media_views import _HLS_PART

    item, asset = _video(file_id)
    if not asset.hls_master or not _HLS_PART.match(part):
        raise Http404("hls")
    from pathlib import PurePosixPath

    name = str(PurePosixPath(asset.hls_master).parent / part)
    if part.endswith(".m3u8"):
        return serving.serve_text(name)
    return serving.serve(request, name, content_type="video/mp2t")


@require_safe
def file_poster(request, file_id: int):
    _item, asset = _video(file_id)
    if not asset.poster:
        raise Http404("poster")
    return serving.serve(request, asset.poster.name, content_type="image/jpeg")


@require_safe
def file_thumbnail(request, file_id: int, index: int):
    _item, asset = _video(file_id)
    thumb = asset.thumbnails.filter(index=index).first()
    if thumb is None:
        raise Http404("thumbnail")
    return serving.serve(request, thumb.image.name, content_type="image/jpeg")


@login_required
@require_POST
def file_position(request, file_id: int):
    _item, asset = _video(file_id)
    try:
        seconds = playback.parse_seconds(request.POST.get("seconds", ""), asset)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    playback.save_position(request.user, asset, seconds)
    # The same post is the watch-history heartbeat (watched time, last position, last seen).
    history.heartbeat(request.user, _item, float(seconds))
    return JsonResponse({"seconds": float(seconds)})


@require_safe
def file_document(request, file_id: int):
    """A document shown inside the lesson page (PDF or LibreOffice's PDF preview)."""
    item = access_public_file(file_id)
    if item.kind != FileKind.DOCUMENT:
        raise Http404("document")
    asset = getattr(item.upload, "asset", None)
    if item.upload.content_type == "application/pdf":
        return serving.serve(
            request, item.upload.storage_name, filename=item.upload.filename, framed=True
        )
    if asset is not None and asset.preview:
        return serving.serve(
            request, asset.preview.name, content_type="application/pdf", framed=True
        )
    raise Http404("preview")


@require_safe
def file_download(request, file_id: int):
    """The file itself as an attachment: needs an account unless the campaign opens it."""
    item = access_public_file(file_id)
    if not request.user.is_authenticated and not consent.downloads_open(item.lesson.campaign_id):
        messages.info(request, _("下载资源需要先登录；登录后将回到课例页面。"))
        login = reverse("portal:login")
        back = reverse("library:lesson_detail", args=[item.lesson_id])
        return redirect(f"{login}?{urlencode({'next': back})}")
    visitor, _new = _visitor(request)
    usage.record_download(item, visitor)
    return serving.serve(
        request, item.upload.storage_name, filename=item.upload.filename, attachment=True
    )


# --- harvesting --------------------------------------------------------------------------------

SITEMAP_PAGE = 10_000


@require_safe
def sitemap(request):
    """Sitemap (index above 10,000 lessons): what search engines and the national platform
    harvest."""
    from youke.library.domain.queries import published

    etag = '"sitemap-{}-{}"'.format(cache_version.current(), request.GET.get("page", ""))
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    base = settings.SITE_URL.rstrip("/")
    total = published().count()
    page = _int(request.GET.get("page"))
    if total > SITEMAP_PAGE and page is None:
        pages = -(-total // SITEMAP_PAGE)
        body = render_to_string(
            "public/library/sitemap_index.xml",
            {
                "pages": [
                    f"{base}{reverse('library:sitemap')}?page={n}" for n in range(1, pages + 1)
                ]
            },
        )
    else:
        start = ((page or 1) - 1) * SITEMAP_PAGE
        rows = (
            published().order_by("pk").values_list("pk", "updated_at")[start : start + SITEMAP_PAGE]
        )
        urls = [(f"{base}{reverse('library:lesson_detail', args=[pk])}", at) for pk, at in rows]
        if (page or 1) == 1:  # the courses (few) ride on the first page
            urls += [
                (f"{base}{reverse('library:course_detail', args=[pk])}", at)
                for pk, at in published_courses().order_by("pk").values_list("pk", "updated_at")
            ]
        body = render_to_string("public/library/sitemap.xml", {"urls": urls})
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=3600)
    return response
