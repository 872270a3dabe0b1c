//! Extractors: how requests become typed values, and how they fail.
//!
//! axum's own extractors answer failures in plain text; these wrap them so that every failure
//! is an [`ApiError`] with a stable code: a body that is not JSON is `malformed_json` (400),
//! JSON of the wrong shape — wrong types, missing or unknown fields — is `invalid_body` (422),
//! a body over the limit is `payload_too_large` (413), a bad query string `invalid_query` (400).
//! The bearer-token extractors authenticate customers and admins.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::error::ApiError;
use crate::node::Node;
use crate::store::Session;

/// A JSON body.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", error.body_text())
            }
            JsonRejection::JsonSyntaxError(error) => {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", error.body_text())
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(error)
                if error.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is larger than this server accepts",
                )
            }
            other => ApiError::new(StatusCode::BAD_REQUEST, "unreadable_body", other.body_text()),
        }
    }
}

/// A query string.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", rejection.body_text())
    }
}

/// Path parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", rejection.body_text())
    }
}

/// The bearer token of the request, unchecked.
pub struct BearerToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
        let token = header
            .and_then(|value| {
                value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|token| !token.is_empty());
        token
            .map(|token| BearerToken(token.to_owned()))
            .ok_or_else(|| ApiError::unauthenticated("send Authorization: Bearer <token>"))
    }
}

/// The logged-in customer's session.
pub struct CurrentSession(pub Session);

impl FromRequestParts<Arc<Node>> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, node: &Arc<Node>) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, node).await?;
        Ok(CurrentSession(node.accounts.authenticate(&token).await?))
    }
}

/// Proof that the request carries the admin token.
pub struct Admin;

impl FromRequestParts<Arc<Node>> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, node: &Arc<Node>) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, node).await?;
        // Constant-time, so the comparison does not tell how much of a guess was right.
        let matches: bool = token.as_bytes().ct_eq(node.admin_token.expose().as_bytes()).into();
        if !matches {
            return Err(ApiError::unauthenticated("the admin API needs the node's admin token"));
        }
        Ok(Admin)
    }
}
