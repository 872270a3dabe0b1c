//! What a node's database starts with, and keeps topped up.
//!
//! On every start a seeding node makes sure that: the 27 reference airports exist; its own
//! airline is recorded; its generated schedule is published from today through `seed.days`
//! days ahead (flights already stored are left alone, so an admin's edits and cancellations
//! survive restarts); and the original system's ten users exist, their passwords hashed on
//! import. Each airline seeds only its own flights; the others' reach it by replication.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use passcom_core::reference::{self, OriginalUser};
use passcom_core::{Airline, Airport, CustomerName, Password, Username};

use crate::accounts::Accounts;
use crate::config::SeedConfig;
use crate::store::{NewCustomer, Store, StoreError};

/// The original system's users, as it shipped them.
const ORIGINAL_USERS: &str = include_str!("../seed/original-clients.json");

/// The time zone whose date is "today" for the schedule: the network's reference time.
const SCHEDULE_TIME_ZONE: &str = "America/Sao_Paulo";

/// The reference data every node has, whether it seeds a schedule or not.
pub async fn reference_data(store: &dyn Store, airline: &Airline) -> anyhow::Result<Vec<Airport>> {
    let airports = reference::airports();
    store.put_airports(airports.clone()).await?;
    store.put_airline(airline.clone()).await?;
    Ok(airports)
}

/// Publishes `airline`'s generated schedule from `today` for `config.days` days and imports
/// the original users, as configured.
pub async fn seed(
    store: &dyn Store,
    accounts: &Accounts,
    airline: &Airline,
    airports: &[Airport],
    config: &SeedConfig,
    now: jiff::Timestamp,
) -> anyhow::Result<()> {
    let today = now.to_zoned_datetime(TimeZone::get(SCHEDULE_TIME_ZONE)?).date();
    let added = publish_schedule(store, airline, airports, today, config).await?;
    let imported =
        if config.original_users { import_original_users(store, accounts, now).await? } else { 0 };
    tracing::info!(airline = %airline.id, flights_added = added, users_imported = imported, "seeded");
    Ok(())
}

async fn publish_schedule(
    store: &dyn Store,
    airline: &Airline,
    airports: &[Airport],
    today: Date,
    config: &SeedConfig,
) -> anyhow::Result<usize> {
    let plan = reference::reference_airline(&airline.id);
    let schedule = |date: Date| match (plan, config.hub) {
        (Some(plan), _) => Some(plan.schedule(date, airports)),
        (None, Some(hub)) => Some(reference::hub_schedule(airline, hub, date, airports)),
        (None, None) => None,
    };
    let mut flights = Vec::new();
    for offset in 0..i64::from(config.days) {
        let Some(day) = schedule(today.checked_add(jiff::Span::new().days(offset))?) else {
            tracing::info!(airline = %airline.id, "not a reference airline and no seed.hub: no schedule to seed");
            return Ok(0);
        };
        flights.extend(day);
    }
    Ok(store.add_missing_flights(flights).await?)
}

async fn import_original_users(
    store: &dyn Store,
    accounts: &Accounts,
    now: jiff::Timestamp,
) -> anyhow::Result<usize> {
    let users: Vec<OriginalUser> = serde_json::from_str(ORIGINAL_USERS)?;
    let mut imported = 0;
    for user in users {
        let username = Username::parse(&user.username)?;
        if store.credentials(username.clone()).await?.is_some() {
            continue;
        }
        let password = Password::parse(&user.password)?;
        let customer = NewCustomer {
            username,
            name: CustomerName::parse(&user.name)?,
            password_hash: accounts.hash_password(&password).await?,
            created_at: now,
        };
        match store.create_customer(customer).await {
            Ok(_) => imported += 1,
            // Someone registered the name meanwhile; theirs stands.
            Err(StoreError::UsernameTaken) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(imported)
}
