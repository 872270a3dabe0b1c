//! The answers any operation can give whatever its handler does, added to the OpenAPI
//! document in one place: what the extractors refuse (a body that is not JSON, of another
//! content type, too large; a bad query or path), and what the layers and the listener answer
//! (the time budget, the connection caps). Each handler lists only its own answers.
//!
//! A test sends every operation of the document a set of bad requests and checks that every
//! status answered is listed (`tests/node/hostile.rs`).

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Adds the common answers to every operation of `document` that lacks them.
pub fn add(document: &mut OpenApi) {
    for item in document.paths.paths.values_mut() {
        for operation in operations(item) {
            add_to(operation);
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch]
        .into_iter()
        .filter_map(Option::as_mut)
}

fn add_to(operation: &mut Operation) {
    if operation.request_body.is_some() {
        add_answer(
            operation,
            "400",
            "`malformed_json`: the body is not JSON; `unreadable_body`: it could not be read",
        );
        add_answer(
            operation,
            "413",
            "`payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default)",
        );
        add_answer(
            operation,
            "415",
            "`unsupported_media_type`: the body is not `application/json`",
        );
        add_answer(operation, "422", "`invalid_body`: JSON of the wrong shape");
    }
    if operation.parameters.as_ref().is_some_and(|parameters| !parameters.is_empty()) {
        add_answer(operation, "400", "`invalid_query`, `invalid_path` or a parameter's own code");
    }
    add_answer(
        operation,
        "503",
        "`request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`)",
    );
}

/// Adds `status` with `description` and the error body, unless the operation lists it.
fn add_answer(operation: &mut Operation, status: &str, description: &str) {
    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description));
}

fn error(description: &str) -> RefOr<Response> {
    let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
    RefOr::T(
        ResponseBuilder::new().description(description).content("application/json", body).build(),
    )
}
