"""The schema lists every operation; health needs no credentials."""

import json

from tests.api.conftest import API

OPERATIONS = {
    "health",
    "list_campaigns",
    "get_campaign",
    "list_campaign_nodes",
    "publish_campaign",
    "close_campaign",
    "list_submissions",
    "count_submissions",
    "get_submission",
    "create_submission",
    "update_submission",
    "set_citations",
    "set_coauthors",
    "confirm_originality",
    "attach_material",
    "list_material_links",
    "add_material_link",
    "remove_material_link",
    "submit_submission",
    "deliver_video",
    "withdraw_submission",
    "reopen_submission",
    "create_upload",
    "get_upload_offset",
    "append_upload",
    "terminate_upload",
    "get_upload_status",
    "list_units",
    "get_unit",
    "create_unit",
    "update_unit",
    "move_unit",
    "list_people",
    "get_person",
    "create_person",
    "update_person",
    "list_roles",
    "grant_role",
    "revoke_role",
    "list_catalog_nodes",
    "get_catalog_node",
    "create_catalog_node",
    "update_catalog_node",
    "list_entries",
    "get_entry",
    "recommend_entry",
    "not_recommend_entry",
    "return_entry",
    "record_screening",
    "confirm_list",
    "list_quotas",
    "set_quota",
    "apply_proportional_quotas",
    "list_rounds",
    "get_round",
    "create_round",
    "create_subject_rounds",
    "open_round",
    "close_round",
    "add_round_expert",
    "auto_assign",
    "get_round_results",
    "list_assignments",
    "get_assignment",
    "save_scores",
    "assign_expert",
    "unassign_expert",
    "declare_conflict",
    "list_publicity",
    "browse_library",
    "search_library",
    "get_library_lesson",
    "get_library_statistics",
    "publish_award_to_library",
    "unpublish_library_lesson",
    "republish_library_lesson",
    "unpublish_library_course",
    "republish_library_course",
    "add_library_favourite",
    "remove_library_favourite",
    "list_library_favourites",
    "list_library_history",
    "delete_library_history",
    "clear_library_history",
    "record_library_heartbeat",
    "list_library_comments",
    "create_library_comment",
    "delete_library_comment",
    "list_moderated_library_comments",
    "approve_library_comment",
    "reject_library_comment",
    "create_library_report",
    "list_library_reports",
    "resolve_library_report",
    "get_publicity",
    "list_publicity_entries",
    "open_publicity",
    "finalise_publicity",
    "list_objections",
    "file_objection",
    "resolve_objection",
    "get_proposal",
    "apply_proposal",
    "propose_awards",
    "grant_awards",
    "revoke_award",
    "list_awards",
    "list_indicators",
    "set_target",
    "get_figures",
    "refresh_figures",
    "list_bulletins",
    "get_bulletin",
    "compose_bulletin",
    "publish_bulletin",
    # collections (issue 11 items 5 and 6)
    "list_collections",
    "create_collection",
    "get_collection",
    "open_collection",
    "close_collection",
    "remind_collection",
    "export_collection_contacts",
    "get_collection_return",
    "submit_contact_return",
    "upload_contact_scan",
    "submit_document_version",
    "approve_collection_return",
    "return_collection_return",
    # training hours and honours (issue 9)
    "list_training_credits",
    "add_training_credit",
    "get_training_totals",
    "get_honours_record",
    # classrooms
    "create_term",
    "list_terms",
    "set_term_day",
    "list_classroom_groups",
    "get_classroom_group",
    "register_classroom_group",
    "add_receiving_classroom",
    "add_period",
    "add_local_period",
    "generate_sessions",
    "list_class_sessions",
    "start_class_session",
    "end_class_session",
    "cancel_class_session",
    "substitute_class_session",
    "record_attendance",
    "get_classroom_registry",
    "list_master_teachers",
    "register_master_teacher",
    "create_studio",
    "add_studio_member",
    "list_demo_lessons",
    "schedule_demo_lesson",
    "register_for_lesson",
    "evaluate_lesson",
    "post_lesson_discussion",
    "summarise_lesson",
    "cancel_demo_lesson",
    "get_master_duty",
    "list_pilot_schools",
    "register_pilot_school",
    "list_network_courses",
    "create_network_course",
    "add_planned_lesson",
    "set_lesson_recording",
    "submit_network_course",
    "review_network_course",
    # classrooms: network course recordings and withdrawal; library courses (issue 12 item 9)
    "attach_lesson_recording",
    "withdraw_network_course",
    "list_library_courses",
    "get_library_course",
    # classrooms: replays, 集体备课, workload (issue 12)
    "get_session_replay",
    "remove_session_replay",
    "get_lesson_replay",
    "remove_lesson_replay",
    "list_preps",
    "get_prep",
    "start_prep",
    "annotate_prep",
    "revise_prep",
    "conclude_prep",
    "get_classroom_workload",
    "get_my_classroom_workload",
    "set_workload_weights",
    "get_classroom_indicators",
    "set_workload_hour_rules",
    "credit_workload_hours",
    "set_classroom_indicator_target",
    "get_originality",
    "recheck_originality",
    "clear_originality",
    "explain_originality",
    # action-plan ledger (issue 11 item 7)
    "list_programmes",
    "create_programme",
    "get_programme",
    "add_roster_member",
    "remove_roster_member",
    "add_task_area",
    "create_task",
    "list_programme_tasks",
    "get_programme_task",
    "set_task_status",
    "add_progress_note",
    "upload_task_evidence",
    "export_task_ledger",
    # year-end reports and typical cases (issue 11 item 8)
    "open_yearend_report",
    "get_yearend_report",
    "consolidate_yearend_report",
    "download_yearend_consolidation",
    "get_yearend_entries",
    "save_yearend_entries",
    "recommend_case",
    "list_cases",
    "decide_case",
    "forward_case",
    "get_certificate_credential",
    "verify_certificate_credential",
    "list_commendations",
    "commend_unit",
    "list_unit_certificates",
    "download_unit_certificate",
}


def test_openapi_lists_every_operation(db, client):
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    found = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert found == OPERATIONS
    create = schema["paths"]["/api/v1/people"]["post"]
    assert set(create["responses"]) == {"201", "400", "401", "403", "404", "413", "415", "422"}


def test_shared_error_answers_are_documented_once_for_all(db, client):
    schema = client.get(API + "/openapi.json").json()
    paths = schema["paths"]
    # a public read: no 401/403, no body errors
    assert set(paths["/api/v1/health"]["get"]["responses"]) == {"200", "400"}
    assert set(paths["/api/v1/publicity/{publicity_id}"]["get"]["responses"]) == {
        "200",
        "400",
        "404",
        "422",
    }
    # a token read with an id in the path
    assert set(paths["/api/v1/units/{unit_id}"]["get"]["responses"]) == {
        "200",
        "400",
        "401",
        "404",
        "422",
    }
    # a write without a body: 403 (CSRF of session callers) but no 413/415
    assert set(paths["/api/v1/submissions/{submission_id}/submit"]["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "422",
    }
    unauthorised = paths["/api/v1/units"]["get"]["responses"]["401"]
    assert unauthorised["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    invalid = paths["/api/v1/units"]["post"]["responses"]["422"]
    assert invalid["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrorOut"
    }
    # the tus operations keep their own list (no 422: tus answers 400 for bad headers)
    assert set(paths["/api/v1/uploads/{upload_id}"]["delete"]["responses"]) == {
        "204",
        "401",
        "403",
        "404",
        "409",
        "410",
        "412",
        "423",
    }


def test_schema_dict_is_the_served_document(db, client):
    """Tools (schemathesis) load the dict: it once held lazy translations no tool could read."""
    from youke.api.urls import api

    schema = api.get_openapi_schema(path_prefix=API + "/")
    assert json.loads(json.dumps(schema, ensure_ascii=False)) == schema  # plain JSON types only
    assert schema == client.get(API + "/openapi.json").json()


def test_health_without_credentials(db, client):
    response = client.get(API + "/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "queue": "ok", "status": "ok"}


def test_schema_names_are_unique():
    """The OpenAPI components are keyed by class name: two schemas of one name would show one
    shape for both (a collection's TaskIn documented as the ledger's)."""
    from ninja import Schema

    import youke.api.urls  # noqa: F401  (imports every router and schema)

    seen: dict[str, str] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("youke."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert clashes == []
