//! The storage conformance suite, run against every backend.
//!
//! Each test of [`suite`] takes a fresh, empty store. A backend joins by invoking
//! `conformance_suite!` with a function that opens one; PostgreSQL will add a module here. The
//! SQLite store runs it twice: on its threads (production) and inline (the simulator's).

mod suite;

use std::sync::Arc;

use passcom::execution::Execution;
use passcom::store::Store;
use passcom::store::sqlite::{SqliteOptions, SqliteStore};
use tempfile::TempDir;

/// An open store and whatever keeps it alive.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    _dir: TempDir,
}

/// Declares one `#[tokio::test]` per suite test, each on a store from `$open`.
macro_rules! conformance_suite {
    ($open:path) => {
        conformance_suite!($open =>
            airports_and_airlines_round_trip,
            adding_missing_flights_keeps_the_stored_ones,
            creating_a_flight_twice_is_refused,
            flights_are_listed_by_filter_in_departure_order_and_pages,
            a_purchase_holds_and_sells_every_seat,
            a_purchase_is_all_or_nothing,
            a_seat_is_never_sold_twice,
            a_full_flight_sells_no_more,
            cancelled_and_departed_flights_are_not_sold,
            only_the_owner_sells_its_seats,
            an_idempotency_key_replays_or_refuses,
            a_taken_reference_is_reported,
            cancelling_a_booking_releases_its_seats_once,
            cancelling_a_flight_marks_its_segments,
            edits_check_the_version,
            usernames_are_unique,
            sessions_are_created_touched_and_swept,
            free_and_taken_seats_always_add_up_to_capacity,
            bookings_are_listed_newest_first_in_pages,
            own_changes_are_logged_in_order,
            a_log_batch_covers_a_range_or_falls_back_to_a_snapshot,
            replicas_apply_batches_and_keep_their_position,
            a_replica_refuses_flights_its_owner_may_not_publish,
            peers_are_added_updated_and_removed,
            a_prepare_holds_seats_and_answers_the_same_vote_again,
            a_refused_prepare_holds_nothing_and_refuses_again,
            a_commit_sells_the_held_seats_to_the_sellers_booking,
            an_abort_releases_and_a_late_prepare_is_refused,
            asking_about_an_unknown_transaction_records_it_aborted,
            an_operator_resolves_a_transaction_in_doubt,
            a_coordinated_purchase_is_pending_until_decided,
            a_failed_purchase_records_why,
            an_abort_before_anyone_was_asked_waits_for_nobody,
            a_begun_purchase_logs_its_own_holds_with_the_decision,
            every_own_flight_to_come_is_logged_again_on_request,
            cancelling_a_booking_across_airlines_records_releases,
            an_owner_releases_only_the_sellers_seats,
            a_flight_cancelled_by_its_owner_marks_the_sellers_segments,
        );
    };
    ($open:path => $($test:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $test() {
                let fixture = $open().await;
                super::suite::$test(fixture.store.as_ref()).await;
            }
        )*
    };
}

mod sqlite {
    use super::*;

    async fn open() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let owner = super::suite::owner();
        let store =
            SqliteStore::open(&dir.path().join("store.sqlite3"), &owner, &SqliteOptions::default())
                .unwrap();
        Fixture { store: Arc::new(store), _dir: dir }
    }

    conformance_suite!(open);
}

mod sqlite_inline {
    use super::*;

    async fn open() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let owner = super::suite::owner();
        let options = SqliteOptions { execution: Execution::Inline, ..SqliteOptions::default() };
        let store = SqliteStore::open(&dir.path().join("store.sqlite3"), &owner, &options).unwrap();
        Fixture { store: Arc::new(store), _dir: dir }
    }

    conformance_suite!(open);
}
