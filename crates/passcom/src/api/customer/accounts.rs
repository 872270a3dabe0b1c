//! `/auth/*` and `/me`: accounts and sessions.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use passcom_core::{CustomerName, Password, Username};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::accounts::AccountError;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{BearerToken, CurrentSession, Json};
use crate::api::views::{CustomerView, LoginView, MeView};
use crate::http_server::Client;
use crate::node::Node;
use crate::throttle::Throttles;

/// The address a request came from; unspecified when it was not served by
/// [`crate::http_server`] (a router called directly), which then shares one count.
fn client_ip(client: Option<Extension<Client>>) -> IpAddr {
    client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(Client(ip))| ip)
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// 3–32 letters, digits, `.`, `_`, `-`.
    #[schema(
        example = "anaferreira",
        min_length = 3,
        max_length = 32,
        pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    )]
    pub username: String,
    /// 8–128 characters.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Name shown in the account: no control, invisible or direction-changing characters.
    #[schema(example = "Ana Ferreira", min_length = 1, max_length = 100)]
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
        (status = 429, description = "`too_many_attempts`: too many registrations from this address; `Retry-After` says when to try again", body = ErrorBody),
        (status = 422, description = "`invalid_username`, `invalid_password`, `invalid_name`, `invalid_body`", body = ErrorBody),
    ))]
pub async fn register(
    State(node): State<Arc<Node>>,
    Extension(throttles): Extension<Arc<Throttles>>,
    client: Option<Extension<Client>>,
    Json(body): Json<RegisterBody>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    let (client, now) = (client_ip(client), node.clock.now());
    let registrations = &throttles.registrations_by_client;
    if let Some(wait) = registrations.wait(&client, now) {
        return Err(ApiError::too_many_attempts("registrations from this address", wait));
    }
    registrations.count(&client, now);
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
        (status = 429, description = "`too_many_attempts`: too many failed logins for this account or from this address; `Retry-After` says when to try again", body = ErrorBody),
    ))]
pub async fn login(
    State(node): State<Arc<Node>>,
    Extension(throttles): Extension<Arc<Throttles>>,
    client: Option<Extension<Client>>,
    Json(body): Json<LoginBody>,
) -> Result<Json<LoginView>, ApiError> {
    let (client, now) = (client_ip(client), node.clock.now());
    if let Some(wait) = throttles.login_wait(&body.username, client, now) {
        return Err(ApiError::too_many_attempts("failed logins", wait));
    }
    let session = match node.accounts.login(&body.username, &body.password).await {
        Ok(session) => session,
        Err(AccountError::InvalidCredentials) => {
            throttles.login_failed(&body.username, client, now);
            return Err(AccountError::InvalidCredentials.into());
        }
        Err(error) => return Err(error.into()),
    };
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
