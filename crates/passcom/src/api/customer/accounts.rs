//! `/auth/*` and `/me`: accounts and sessions.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use passcom_core::{CustomerName, Password, Username};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{BearerToken, CurrentSession, Json};
use crate::api::views::{CustomerView, LoginView, MeView};
use crate::node::Node;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// 3–32 letters, digits, `.`, `_`, `-`.
    #[schema(example = "anaferreira")]
    pub username: String,
    /// 8–128 characters.
    pub password: String,
    /// Name shown in the account.
    #[schema(example = "Ana Ferreira")]
    pub name: String,
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Creates an account.
#[utoipa::path(post, path = "/auth/register", tag = "accounts", request_body = RegisterBody,
    responses(
        (status = 201, description = "Account created", body = CustomerView),
        (status = 409, description = "`username_taken`", body = ErrorBody),
        (status = 422, description = "`invalid_username`, `invalid_password`, `invalid_name`, `invalid_body`", body = ErrorBody),
    ))]
pub async fn register(
    State(node): State<Arc<Node>>,
    Json(body): Json<RegisterBody>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    let username =
        Username::parse(&body.username).map_err(|e| ApiError::invalid_field("username", e))?;
    let password =
        Password::parse(&body.password).map_err(|e| ApiError::invalid_field("password", e))?;
    let name = CustomerName::parse(&body.name).map_err(|e| ApiError::invalid_field("name", e))?;
    let customer = node.accounts.register(username, &password, name).await?;
    Ok((StatusCode::CREATED, Json(CustomerView::from(&customer))))
}

/// Opens a session.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in", body = LoginView),
        (status = 401, description = "`invalid_credentials`, the same for an unknown user and a wrong password", body = ErrorBody),
    ))]
pub async fn login(
    State(node): State<Arc<Node>>,
    Json(body): Json<LoginBody>,
) -> Result<Json<LoginView>, ApiError> {
    let session = node.accounts.login(&body.username, &body.password).await?;
    Ok(Json(LoginView {
        token: session.token,
        token_type: "Bearer".into(),
        expires_at: session.expires_at.to_string(),
    }))
}

/// Ends the session of the bearer token.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out (also when the session had already ended)"),
        (status = 401, description = "`unauthenticated`: no bearer token", body = ErrorBody),
    ))]
pub async fn logout(
    State(node): State<Arc<Node>>,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, ApiError> {
    node.accounts.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in customer.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer", body = MeView),
        (status = 401, description = "`unauthenticated` or `session_expired`", body = ErrorBody),
    ))]
pub async fn me(
    State(node): State<Arc<Node>>,
    CurrentSession(session): CurrentSession,
) -> Json<MeView> {
    Json(MeView {
        customer: CustomerView::from(&session.customer),
        session_expires_at: node.accounts.expires_at().to_string(),
    })
}
