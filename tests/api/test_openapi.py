"""The schema lists every operation; health needs no credentials."""

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
}


def test_openapi_lists_every_operation(db, client):
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    found = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert found == OPERATIONS
    create = schema["paths"]["/api/v1/people"]["post"]
    assert set(create["responses"]) == {"201", "404", "422"}


def test_health_without_credentials(db, client):
    response = client.get(API + "/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "queue": "ok", "status": "ok"}
